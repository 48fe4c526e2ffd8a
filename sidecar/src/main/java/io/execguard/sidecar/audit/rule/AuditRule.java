package io.execguard.sidecar.audit.rule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One kernel audit rule ({@code struct audit_rule_data}): the filter list it belongs to, its action, the syscalls it
 * matches, and its field comparisons in kernel order. The kernel deletes a rule only when all of these match
 * exactly, so a rule read back with {@link AuditRuleCodec#decode} can be deleted as it is.
 *
 * @param syscalls the syscall numbers, ignored when {@code allSyscalls}
 * @param allSyscalls true when the mask has every bit set ({@code -S all}, or a watch)
 */
public record AuditRule(Filter filter, Action action, boolean allSyscalls, SortedSet<Integer> syscalls,
                        List<RuleField> fields) {
    /** Number of syscall bits in the rule's mask ({@code AUDIT_BITMASK_SIZE * 32}). */
    public static final int MAX_SYSCALL = 64 * 32;
    /** Separator the kernel stores between several keys of one rule ({@code -k a -k b}). */
    public static final char KEY_SEPARATOR = '\u0001';

    public AuditRule {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(action, "action");
        syscalls = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(syscalls));
        fields = List.copyOf(fields);
        if (syscalls.stream().anyMatch(n -> n < 0 || n >= MAX_SYSCALL)) {
            throw new IllegalArgumentException("syscall number out of range: " + syscalls);
        }
    }

    /** The ABI named by the rule's {@code arch} field, if any. */
    public Optional<AuditArch> arch() {
        return fields.stream().filter(f -> f.field() == RuleField.ARCH).findFirst()
                .flatMap(f -> AuditArch.ofAuditValue(f.signedValue()));
    }

    /** The rule's keys ({@code -k}), in order; empty when it has none. */
    public List<String> keys() {
        return fields.stream().filter(f -> f.field() == RuleField.KEY).flatMap(f -> f.text().stream())
                .flatMap(k -> List.of(k.split(String.valueOf(KEY_SEPARATOR), -1)).stream())
                .collect(Collectors.toList());
    }

    /** True when {@code key} is one of the rule's keys. */
    public boolean hasKey(String key) {
        return keys().contains(key);
    }

    private static <T> Optional<T> first(T[] candidates, Predicate<T> matches) {
        for (T t : candidates) {
            if (matches.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Which filter list ({@code -a action,list}) a rule is on; the number is the kernel's flags value. */
    public enum Filter {
        USER(0, "user"), TASK(1, "task"), ENTRY(2, "entry"), WATCH(3, "watch"), EXIT(4, "exit"),
        EXCLUDE(5, "exclude"), FILESYSTEM(6, "filesystem"), IO_URING(7, "io_uring");

        private final int number;
        private final String ruleName;

        Filter(int number, String ruleName) {
            this.number = number;
            this.ruleName = ruleName;
        }

        public int number() {
            return number;
        }

        public String ruleName() {
            return ruleName;
        }

        public static Optional<Filter> ofNumber(int number) {
            return first(values(), f -> f.number == number);
        }

        public static Optional<Filter> ofName(String name) {
            return first(values(), f -> f.ruleName.equals(name));
        }
    }

    /** What a matching rule does. */
    public enum Action {
        NEVER(0, "never"), POSSIBLE(1, "possible"), ALWAYS(2, "always");

        private final int number;
        private final String ruleName;

        Action(int number, String ruleName) {
            this.number = number;
            this.ruleName = ruleName;
        }

        public int number() {
            return number;
        }

        public String ruleName() {
            return ruleName;
        }

        public static Optional<Action> ofNumber(int number) {
            return first(values(), a -> a.number == number);
        }

        public static Optional<Action> ofName(String name) {
            return first(values(), a -> a.ruleName.equals(name));
        }
    }
}
