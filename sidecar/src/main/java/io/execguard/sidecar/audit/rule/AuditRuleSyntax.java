package io.execguard.sidecar.audit.rule;

import io.execguard.linux.LinuxErrno;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Rules in the text form of {@code auditctl -l}: {@link #format} prints a rule exactly as auditctl lists it (arch
 * first, then syscalls by name, then the other fields in kernel order, errno names for exit codes, hex for syscall
 * arguments, {@code -w} for plain watches), and {@link #parse} reads that form (and the usual {@code -k} / {@code -S}
 * spellings) back into a rule.
 */
public final class AuditRuleSyntax {
    /** {@code AUDIT_COMPARE_*} in kernel order (1-based): the two sides auditctl prints for {@code -C}. */
    private static final String[] COMPARISONS = {"uid obj_uid", "gid obj_gid", "euid obj_uid", "egid obj_gid",
        "auid obj_uid", "suid obj_uid", "sgid obj_gid", "fsuid obj_uid", "fsgid obj_gid", "uid auid", "uid euid",
        "uid fsuid", "uid suid", "auid fsuid", "auid suid", "auid euid", "euid suid", "euid fsuid", "suid fsuid",
        "gid egid", "gid fsgid", "gid sgid", "egid fsgid", "egid sgid", "sgid fsgid"};
    private static final int FIELD_COMPARE = 111;
    private static final String PERMS = "rwxa";
    private static final int[] PERM_BITS = {4, 2, 1, 8};

    private AuditRuleSyntax() {
    }

    /** The rule as {@code auditctl -l} prints it. */
    public static String format(AuditRule rule) {
        if (isPlainWatch(rule)) {
            return formatWatch(rule);
        }
        StringBuilder out = new StringBuilder();
        out.append("-a ").append(rule.action().ruleName()).append(',').append(rule.filter().ruleName());
        Optional<AuditArch> arch = rule.arch();
        for (RuleField f : rule.fields()) {
            if (f.field() == RuleField.ARCH) {
                String name = AuditArch.ofAuditValue(f.signedValue()).map(AuditArch::ruleName)
                        .orElse("0x" + Long.toHexString(f.value()));
                out.append(" -F arch").append(f.operator().symbol()).append(name);
            }
        }
        if (hasSyscalls(rule.filter())) {
            out.append(" -S ").append(syscalls(rule, arch.orElse(AuditArch.host64())));
        }
        for (RuleField f : rule.fields()) {
            if (f.field() != RuleField.ARCH) {
                appendField(out, f);
            }
        }
        return out.toString();
    }

    private static boolean hasSyscalls(AuditRule.Filter filter) {
        return filter == AuditRule.Filter.EXIT || filter == AuditRule.Filter.ENTRY
                || filter == AuditRule.Filter.IO_URING;
    }

    private static String syscalls(AuditRule rule, AuditArch arch) {
        if (rule.allSyscalls()) {
            return "all";
        }
        return rule.syscalls().stream().map(n -> arch.syscallName(n).orElse(String.valueOf(n)))
                .collect(Collectors.joining(","));
    }

    private static void appendField(StringBuilder out, RuleField f) {
        int comparison = f.signedValue() - 1;
        if (f.field() == FIELD_COMPARE && comparison >= 0 && comparison < COMPARISONS.length) {
            String[] sides = COMPARISONS[comparison].split(" ");
            out.append(" -C ").append(sides[0]).append(f.operator().symbol()).append(sides[1]);
            return;
        }
        if (f.field() == RuleField.KEY) {
            for (String key : f.text().orElse("").split(String.valueOf(AuditRule.KEY_SEPARATOR), -1)) {
                out.append(" -F key=").append(key);
            }
            return;
        }
        out.append(" -F ").append(f.name()).append(f.operator().symbol()).append(value(f));
    }

    private static String value(RuleField f) {
        if (f.text().isPresent()) {
            return f.text().get();
        }
        switch (f.field()) {
            case RuleField.EXIT:
                int exit = f.signedValue();
                return exit < 0 ? LinuxErrno.name(-exit).map(n -> "-" + n).orElse(String.valueOf(exit))
                        : String.valueOf(exit);
            case RuleField.PERM:
                return perms(f.signedValue());
            case RuleField.MSGTYPE:
                return MessageTypes.name(f.signedValue()).orElse(String.valueOf(f.signedValue()));
            case 200: case 201: case 202: case 203:
                return "0x" + Long.toHexString(f.value()).toUpperCase(java.util.Locale.ROOT);
            default:
                return String.valueOf(f.signedValue());
        }
    }

    private static String perms(int bits) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < PERMS.length(); i++) {
            if ((bits & PERM_BITS[i]) != 0) {
                s.append(PERMS.charAt(i));
            }
        }
        return s.toString();
    }

    private static boolean isPlainWatch(AuditRule rule) {
        if (rule.filter() != AuditRule.Filter.EXIT || rule.action() != AuditRule.Action.ALWAYS
                || !rule.allSyscalls()) {
            return false;
        }
        long paths = rule.fields().stream().filter(f -> f.field() == RuleField.PATH || f.field() == RuleField.DIR)
                .count();
        return paths == 1 && rule.fields().stream().allMatch(f -> f.operator() == RuleField.Operator.EQUAL
                && (f.field() == RuleField.PATH || f.field() == RuleField.DIR || f.field() == RuleField.PERM
                || f.field() == RuleField.KEY));
    }

    private static String formatWatch(AuditRule rule) {
        StringBuilder out = new StringBuilder();
        for (RuleField f : rule.fields()) {
            if (f.field() == RuleField.PATH || f.field() == RuleField.DIR) {
                out.append("-w ").append(f.text().orElse(""));
            }
        }
        rule.fields().stream().filter(f -> f.field() == RuleField.PERM).findFirst()
                .ifPresent(f -> out.append(" -p ").append(perms(f.signedValue())));
        for (String key : rule.keys()) {
            out.append(" -k ").append(key);
        }
        return out.toString();
    }

    /**
     * Parses one rule in auditctl syntax ({@code -a/-A action,list}, {@code -F name<op>value}, {@code -C a<op>b},
     * {@code -S names}, {@code -k key}, {@code -w path -p perms}). Values may not contain spaces, as in auditctl's own listing.
     *
     * @throws IllegalArgumentException with a one-sentence reason when the text is not a rule
     */
    public static AuditRule parse(String line) {
        return new Parser(line).parse();
    }

    /** Parse state for one line: the rule under construction. */
    private static final class Parser {
        private final String[] tokens;
        private AuditRule.Filter filter;
        private AuditRule.Action action;
        private final List<String> syscallNames = new ArrayList<>();
        private final List<RuleField> fields = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();
        private String watch;
        private int perms = -1;

        Parser(String line) {
            this.tokens = line.trim().split("\\s+");
        }

        AuditRule parse() {
            for (int i = 0; i < tokens.length; i++) {
                String option = tokens[i];
                if (i + 1 >= tokens.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = tokens[++i];
                switch (option) {
                    case "-a": case "-A": listAndAction(value); break;
                    case "-F": fields.add(field(value)); break;
                    case "-C": fields.add(comparison(value)); break;
                    case "-S": syscallNames.addAll(List.of(value.split(","))); break;
                    case "-k": keys.add(value); break;
                    case "-w": watch = value; break;
                    case "-p": perms = permBits(value); break;
                    default: throw new IllegalArgumentException("unsupported option " + option);
                }
            }
            return build();
        }

        private AuditRule build() {
            if (watch != null) {
                filter = AuditRule.Filter.EXIT;
                action = AuditRule.Action.ALWAYS;
                fields.add(0, RuleField.string(watch.endsWith("/") ? RuleField.DIR : RuleField.PATH,
                        RuleField.Operator.EQUAL, watch));
                fields.add(1, RuleField.numeric(RuleField.PERM, RuleField.Operator.EQUAL, perms < 0 ? 15 : perms));
            }
            if (filter == null) {
                throw new IllegalArgumentException("a rule needs -a action,list or -w path");
            }
            if (!keys.isEmpty()) {
                fields.add(RuleField.string(RuleField.KEY, RuleField.Operator.EQUAL,
                        String.join(String.valueOf(AuditRule.KEY_SEPARATOR), keys)));
            }
            mergeKeys();
            boolean all = watch != null || syscallNames.contains("all")
                    || (syscallNames.isEmpty() && filter != AuditRule.Filter.EXIT);
            TreeSet<Integer> numbers = new TreeSet<>();
            if (!all) {
                AuditArch arch = archOf(fields).orElse(AuditArch.host64());
                for (String name : syscallNames) {
                    numbers.add(syscallNumber(arch, name));
                }
            }
            return new AuditRule(filter, action, all, numbers, fields);
        }

        /** auditctl stores every key of a rule in one field, joined with \001; -F key=a -F key=b means the same. */
        private void mergeKeys() {
            List<String> all = new ArrayList<>();
            int first = -1;
            for (int i = 0; i < fields.size(); i++) {
                RuleField f = fields.get(i);
                if (f.field() == RuleField.KEY) {
                    first = first < 0 ? i : first;
                    all.add(f.text().orElse(""));
                }
            }
            if (all.size() > 1) {
                fields.removeIf(f -> f.field() == RuleField.KEY);
                fields.add(Math.min(first, fields.size()), RuleField.string(RuleField.KEY, RuleField.Operator.EQUAL,
                        String.join(String.valueOf(AuditRule.KEY_SEPARATOR), all)));
            }
        }

        private void listAndAction(String value) {
            String[] parts = value.split(",");
            if (parts.length != 2) {
                throw new IllegalArgumentException("-a needs action,list such as always,exit, not " + value);
            }
            Optional<AuditRule.Action> a = AuditRule.Action.ofName(parts[0]);
            Optional<AuditRule.Filter> f = AuditRule.Filter.ofName(parts[1]);
            if (a.isEmpty()) {
                a = AuditRule.Action.ofName(parts[1]);
                f = AuditRule.Filter.ofName(parts[0]);
            }
            action = a.orElseThrow(() -> new IllegalArgumentException("unknown rule action in " + value));
            filter = f.orElseThrow(() -> new IllegalArgumentException("unknown filter list in " + value));
        }

        private static RuleField field(String expression) {
            for (String symbol : new String[] {"!=", "<=", ">=", "&=", "=", "<", ">", "&"}) {
                int at = expression.indexOf(symbol);
                if (at > 0) {
                    String name = expression.substring(0, at);
                    String value = expression.substring(at + symbol.length());
                    RuleField.Operator op = operator(symbol);
                    return field(name, op, value);
                }
            }
            throw new IllegalArgumentException("-F needs name<op>value, not " + expression);
        }

        /** {@code -C left<op>right}, e.g. {@code uid!=euid}; either order of the two sides is accepted. */
        private static RuleField comparison(String expression) {
            for (String symbol : new String[] {"!=", "="}) {
                int at = expression.indexOf(symbol);
                if (at > 0) {
                    String left = expression.substring(0, at);
                    String right = expression.substring(at + symbol.length());
                    for (int i = 0; i < COMPARISONS.length; i++) {
                        if (COMPARISONS[i].equals(left + " " + right) || COMPARISONS[i].equals(right + " " + left)) {
                            return RuleField.numeric(FIELD_COMPARE, operator(symbol), i + 1);
                        }
                    }
                    throw new IllegalArgumentException("cannot compare " + left + " with " + right);
                }
            }
            throw new IllegalArgumentException("-C needs left=right or left!=right, not " + expression);
        }

        private static RuleField.Operator operator(String symbol) {
            for (RuleField.Operator op : RuleField.Operator.values()) {
                if (op.symbol().equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown operator " + symbol);
        }

        private static RuleField field(String name, RuleField.Operator op, String value) {
            int number = FieldNames.number(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown rule field " + name));
            if (FieldNames.isString(number)) {
                return RuleField.string(number, op, value);
            }
            switch (number) {
                case RuleField.ARCH:
                    AuditArch arch = AuditArch.parse(value)
                            .orElseThrow(() -> new IllegalArgumentException("unknown arch " + value));
                    return RuleField.numeric(number, op, arch.auditValue());
                case RuleField.EXIT:
                    return RuleField.numeric(number, op, exitValue(value));
                case RuleField.PERM:
                    return RuleField.numeric(number, op, permBits(value));
                case RuleField.MSGTYPE:
                    Optional<Integer> type = MessageTypes.number(value);
                    return RuleField.numeric(number, op, type.isPresent() ? type.get() : number(value));
                default:
                    return RuleField.numeric(number, op, value.equals("unset") ? -1 : number(value));
            }
        }

        private static long exitValue(String value) {
            boolean negative = value.startsWith("-");
            String magnitude = negative ? value.substring(1) : value;
            Optional<Integer> errno = LinuxErrno.number(magnitude);
            long n = errno.isPresent() ? errno.get() : number(magnitude);
            return negative ? -n : n;
        }

        private static long number(String value) {
            try {
                return value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                        : Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + value, e);
            }
        }

        private static int permBits(String letters) {
            int bits = 0;
            for (char c : letters.toCharArray()) {
                int at = PERMS.indexOf(c);
                if (at < 0) {
                    throw new IllegalArgumentException("permission must be made of r, w, x and a, not " + letters);
                }
                bits |= PERM_BITS[at];
            }
            return bits;
        }

        private static int syscallNumber(AuditArch arch, String name) {
            Optional<Integer> n = arch.syscallNumber(name);
            if (n.isPresent()) {
                return n.get();
            }
            try {
                return Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown syscall " + name + " for arch " + arch.ruleName(), e);
            }
        }

        private static Optional<AuditArch> archOf(List<RuleField> fields) {
            return fields.stream().filter(f -> f.field() == RuleField.ARCH).findFirst()
                    .flatMap(f -> AuditArch.ofAuditValue(f.signedValue()));
        }
    }
}
