package io.execguard.sidecar.audit.rule;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Converts rules to and from the kernel's {@code struct audit_rule_data} (host byte order): flags, action,
 * field_count, mask[64], fields[64], values[64], fieldflags[64], buflen, then the strings of string fields back to
 * back, in field order, each as long as its value says.
 */
public final class AuditRuleCodec {
    private static final int MAX_FIELDS = 64;
    private static final int MASK_WORDS = 64;
    // The kernel reuses the top 16 bits of the mask for syscall classes and clears them when it stores a rule, so
    // a rule added with every bit set ("-S all") comes back without them.
    private static final int CLASS_BITS = 0xFFFF0000;
    private static final int HEADER = 4 * (3 + MASK_WORDS + 3 * MAX_FIELDS + 1);

    private AuditRuleCodec() {
    }

    /** The wire form of {@code rule}. */
    public static byte[] encode(AuditRule rule) {
        if (rule.fields().size() > MAX_FIELDS) {
            throw new IllegalArgumentException("an audit rule holds at most 64 fields");
        }
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        long[] values = new long[rule.fields().size()];
        for (int i = 0; i < values.length; i++) {
            RuleField f = rule.fields().get(i);
            if (f.text().isPresent()) {
                byte[] text = f.text().get().getBytes(StandardCharsets.UTF_8);
                strings.write(text, 0, text.length);
                values[i] = text.length;
            } else {
                values[i] = f.value();
            }
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + strings.size()).order(ByteOrder.nativeOrder());
        b.putInt(rule.filter().number()).putInt(rule.action().number()).putInt(rule.fields().size());
        int[] mask = mask(rule);
        for (int word : mask) {
            b.putInt(word);
        }
        for (int i = 0; i < MAX_FIELDS; i++) {
            b.putInt(i < values.length ? rule.fields().get(i).field() : 0);
        }
        for (int i = 0; i < MAX_FIELDS; i++) {
            b.putInt(i < values.length ? (int) values[i] : 0);
        }
        for (int i = 0; i < MAX_FIELDS; i++) {
            b.putInt(i < values.length ? rule.fields().get(i).operator().wire() : 0);
        }
        b.putInt(strings.size());
        b.put(strings.toByteArray());
        return b.array();
    }

    private static int[] mask(AuditRule rule) {
        int[] mask = new int[MASK_WORDS];
        if (rule.allSyscalls()) {
            java.util.Arrays.fill(mask, -1);
        } else {
            for (int n : rule.syscalls()) {
                mask[n / 32] |= 1 << (n % 32);
            }
        }
        return mask;
    }

    /**
     * Reads a rule from its wire form.
     *
     * @throws IllegalArgumentException when the data is truncated or names an unknown list, action or operator
     */
    public static AuditRule decode(ByteBuffer data) {
        try {
            ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
            int start = b.position();
            AuditRule.Filter filter = AuditRule.Filter.ofNumber(b.getInt(start))
                    .orElseThrow(() -> new IllegalArgumentException("unknown filter list " + b.getInt(start)));
            AuditRule.Action action = AuditRule.Action.ofNumber(b.getInt(start + 4))
                    .orElseThrow(() -> new IllegalArgumentException("unknown action " + b.getInt(start + 4)));
            int count = b.getInt(start + 8);
            if (count < 0 || count > MAX_FIELDS) {
                throw new IllegalArgumentException("field count " + count + " out of range");
            }
            TreeSet<Integer> syscalls = new TreeSet<>();
            boolean all = true;
            for (int w = 0; w < MASK_WORDS; w++) {
                int word = b.getInt(start + 12 + 4 * w);
                all &= (word | (w == MASK_WORDS - 1 ? CLASS_BITS : 0)) == -1;
                for (int bit = 0; bit < 32; bit++) {
                    if ((word & (1 << bit)) != 0) {
                        syscalls.add(w * 32 + bit);
                    }
                }
            }
            return new AuditRule(filter, action, all, all ? new TreeSet<>() : syscalls, fields(b, start, count));
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated audit rule", e);
        }
    }

    private static List<RuleField> fields(ByteBuffer b, int start, int count) {
        int fieldsAt = start + 12 + 4 * MASK_WORDS;
        int valuesAt = fieldsAt + 4 * MAX_FIELDS;
        int flagsAt = valuesAt + 4 * MAX_FIELDS;
        int buflen = b.getInt(flagsAt + 4 * MAX_FIELDS);
        int stringAt = flagsAt + 4 * MAX_FIELDS + 4;
        int stringEnd = stringAt + buflen;
        List<RuleField> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int field = b.getInt(fieldsAt + 4 * i);
            long value = Integer.toUnsignedLong(b.getInt(valuesAt + 4 * i));
            int wireOp = b.getInt(flagsAt + 4 * i);
            RuleField.Operator op = RuleField.Operator.ofWire(wireOp)
                    .orElseThrow(() -> new IllegalArgumentException("unknown operator 0x" + Integer.toHexString(wireOp)));
            Optional<String> text = Optional.empty();
            if (FieldNames.isString(field)) {
                if (value > stringEnd - stringAt) {
                    throw new IllegalArgumentException("string of field " + field + " runs past the buffer");
                }
                byte[] bytes = new byte[(int) value];
                b.get(stringAt, bytes);
                stringAt += bytes.length;
                text = Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
            fields.add(new RuleField(field, op, value, text));
        }
        return fields;
    }
}
