package io.execguard.core.inspect;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Reads {@code Tag_CPU_arch} from an ARM {@code .ARM.attributes} section (the "aeabi" build attributes), which says
 * which ARM architecture level (v5, v6, v7, v8) a 32-bit ARM binary needs: the OCI platform variant.
 */
public final class ArmAttributes {
    /** sh_type of {@code .ARM.attributes}. */
    public static final int SHT_ARM_ATTRIBUTES = 0x70000003;
    private static final int TAG_FILE = 1;
    private static final int TAG_CPU_ARCH = 6;

    private ArmAttributes() {
    }

    /** The Tag_CPU_arch value in {@code section}, if the section is well-formed enough to hold one. */
    public static Optional<Integer> cpuArch(byte[] section, ByteOrder order) {
        if (section.length < 1 || section[0] != 'A') {
            return Optional.empty();
        }
        int pos = 1;
        while (pos + 4 <= section.length) {
            long length = Bytes.u32(section, pos, order);
            if (length < 5 || pos + length > section.length) {
                return Optional.empty();
            }
            int end = (int) (pos + length);
            int vendorStart = pos + 4;
            int vendorEnd = indexOfNul(section, vendorStart, end);
            if (vendorEnd < 0) {
                return Optional.empty();
            }
            if ("aeabi".equals(new String(section, vendorStart, vendorEnd - vendorStart,
                    java.nio.charset.StandardCharsets.ISO_8859_1))) {
                Optional<Integer> arch = fromSubsections(section, vendorEnd + 1, end, order);
                if (arch.isPresent()) {
                    return arch;
                }
            }
            pos = end;
        }
        return Optional.empty();
    }

    private static Optional<Integer> fromSubsections(byte[] s, int pos, int end, ByteOrder order) {
        while (pos < end) {
            long[] tag = uleb(s, pos, end);
            if (tag == null || tag[1] + 4 > end) {
                return Optional.empty();
            }
            long size = Bytes.u32(s, (int) tag[1], order);
            if (size < 5 || pos + size > end) {
                return Optional.empty();
            }
            if (tag[0] == TAG_FILE) {
                return fromAttributes(s, (int) tag[1] + 4, (int) (pos + size));
            }
            pos += (int) size;
        }
        return Optional.empty();
    }

    private static Optional<Integer> fromAttributes(byte[] s, int pos, int end) {
        while (pos < end) {
            long[] tag = uleb(s, pos, end);
            if (tag == null) {
                return Optional.empty();
            }
            pos = (int) tag[1];
            long t = tag[0];
            if (t == 4 || t == 5 || t == 65 || t == 67 || (t > 32 && (t & 1) == 1)) {
                int nul = indexOfNul(s, pos, end);
                if (nul < 0) {
                    return Optional.empty();
                }
                pos = nul + 1;
                continue;
            }
            long[] value = uleb(s, pos, end);
            if (value == null) {
                return Optional.empty();
            }
            if (t == TAG_CPU_ARCH) {
                return Optional.of((int) value[0]);
            }
            pos = (int) value[1];
            if (t == 32) {
                int nul = indexOfNul(s, pos, end);
                if (nul < 0) {
                    return Optional.empty();
                }
                pos = nul + 1;
            }
        }
        return Optional.empty();
    }

    /** The OCI variant (v5, v6, v7, v8) for a Tag_CPU_arch value. */
    public static Optional<String> variant(int cpuArch) {
        if (cpuArch >= 1 && cpuArch <= 5) {
            return Optional.of("v5");
        }
        if ((cpuArch >= 6 && cpuArch <= 9) || cpuArch == 11 || cpuArch == 12) {
            return Optional.of("v6");
        }
        if (cpuArch == 10 || cpuArch == 13) {
            return Optional.of("v7");
        }
        if (cpuArch >= 14 && cpuArch <= 40) {
            return Optional.of("v8");
        }
        return Optional.empty();
    }

    /** Decodes a ULEB128 at {@code pos}; returns {value, next position} or null when it runs past {@code end}. */
    private static long[] uleb(byte[] s, int pos, int end) {
        long value = 0;
        for (int shift = 0; pos < end && shift < 63; shift += 7) {
            int b = s[pos++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return new long[] {value, pos};
            }
        }
        return null;
    }

    private static int indexOfNul(byte[] s, int from, int end) {
        for (int i = from; i < end; i++) {
            if (s[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
