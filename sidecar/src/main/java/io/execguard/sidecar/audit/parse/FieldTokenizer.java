package io.execguard.sidecar.audit.parse;

import java.util.Arrays;

/**
 * Splits a record body into {@code key=value} spans. Values are {@code "quoted"}, {@code 'quoted'} (user-space
 * messages nest a whole record in {@code msg='...'}) or run to the next space; words without {@code =} (SELinux's
 * {@code avc:  denied  { read }}) are skipped; a 0x1D byte starts auditd's ENRICHED fields.
 */
final class FieldTokenizer {
    private static final byte GS = 0x1D;
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[4 * 48 + 1]);

    private FieldTokenizer() {
    }

    /**
     * Splits {@code b[start, end)}; returns 4 offsets into {@code b} per field followed by the index of the first
     * ENRICHED field.
     */
    static int[] tokenize(byte[] b, int start, int end) {
        int[] scratch = SCRATCH.get();
        int n = 0;
        int enrichedFrom = -1;
        int i = start;
        while (i < end) {
            byte c = b[i];
            if (c == ' ') {
                i++;
                continue;
            }
            if (c == GS) {
                if (enrichedFrom < 0) {
                    enrichedFrom = n;
                }
                i++;
                continue;
            }
            int ks = i;
            while (i < end && b[i] != '=' && b[i] != ' ' && b[i] != GS) {
                i++;
            }
            if (i >= end || b[i] != '=') {
                continue;
            }
            int ke = i++;
            int vs = i;
            if (i < end && (b[i] == '"' || b[i] == '\'')) {
                byte quote = b[i];
                i++;
                while (i < end && b[i] != quote) {
                    i++;
                }
                i = i < end ? i + 1 : end;
            } else {
                while (i < end && b[i] != ' ' && b[i] != GS) {
                    i++;
                }
            }
            if (4 * n + 5 > scratch.length) {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
                SCRATCH.set(scratch);
            }
            scratch[4 * n] = ks;
            scratch[4 * n + 1] = ke;
            scratch[4 * n + 2] = vs;
            scratch[4 * n + 3] = i;
            n++;
        }
        int[] out = Arrays.copyOf(scratch, 4 * n + 1);
        out[4 * n] = enrichedFrom < 0 ? n : enrichedFrom;
        return out;
    }
}
