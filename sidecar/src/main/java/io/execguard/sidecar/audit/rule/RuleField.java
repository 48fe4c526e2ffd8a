package io.execguard.sidecar.audit.rule;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code -F name<op>value} comparison of an audit rule, as the kernel stores it: the field number, the operator,
 * a 32-bit value, and for string fields (key, path, exe ...) the text.
 *
 * @param field the {@code AUDIT_*} field number, e.g. 103 for {@code exit}
 * @param value the unsigned 32-bit value (for string fields: the text's length, recomputed on encode)
 * @param text the string operand of a string field, empty for numeric fields
 */
public record RuleField(int field, Operator operator, long value, Optional<String> text) {
    public static final int ARCH = 11;
    public static final int MSGTYPE = 12;
    public static final int EXIT = 103;
    public static final int PATH = 105;
    public static final int PERM = 106;
    public static final int DIR = 107;
    public static final int KEY = 210;

    public RuleField {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(text, "text");
        value &= 0xFFFFFFFFL;
    }

    /** A numeric comparison. */
    public static RuleField numeric(int field, Operator operator, long value) {
        return new RuleField(field, operator, value, Optional.empty());
    }

    /** A string comparison (key, path, exe, SELinux labels). */
    public static RuleField string(int field, Operator operator, String text) {
        return new RuleField(field, operator, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                Optional.of(text));
    }

    /** The value as the signed 32-bit integer the kernel compares for exit codes and ids. */
    public int signedValue() {
        return (int) value;
    }

    /** The field's auditctl name, e.g. {@code exit}, or {@code field N} when unknown. */
    public String name() {
        return FieldNames.name(field).orElse("field" + field);
    }

    /** Comparison operators, with their wire value ({@code AUDIT_EQUAL} ...) and auditctl symbol. */
    public enum Operator {
        BIT_MASK(0x08000000, "&"),
        LESS_THAN(0x10000000, "<"),
        GREATER_THAN(0x20000000, ">"),
        NOT_EQUAL(0x30000000, "!="),
        EQUAL(0x40000000, "="),
        BIT_TEST(0x48000000, "&="),
        LESS_THAN_OR_EQUAL(0x50000000, "<="),
        GREATER_THAN_OR_EQUAL(0x60000000, ">=");

        private final int wire;
        private final String symbol;

        Operator(int wire, String symbol) {
            this.wire = wire;
            this.symbol = symbol;
        }

        public int wire() {
            return wire;
        }

        public String symbol() {
            return symbol;
        }

        /** The operator with this wire value. */
        public static Optional<Operator> ofWire(int wire) {
            for (Operator o : values()) {
                if (o.wire == wire) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }
}
