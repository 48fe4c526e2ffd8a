package io.execguard.core.diagnose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Structured facts behind a diagnosis, as an ordered tree of named values. Values are {@link String},
 * {@link Long}, {@link Boolean}, nested {@code Evidence}, or lists of those. The tree serialises to JSON as it is.
 *
 * <p>Well-known groups (keys are a contract, like {@link Cause} names):
 * <ul>
 *   <li>{@value #ELF}: {@code class} (ELF32/ELF64), {@code data} (LSB/MSB), {@code type} (EXEC, DYN, REL, CORE...),
 *       {@code machine} (e.g. x86-64, AArch64), {@code e_machine} (number), {@code platform} (linux/arm64),
 *       {@code interpreter} (PT_INTERP), {@code libc} (glibc, musl, static, other)</li>
 *   <li>{@value #SCRIPT}: {@code shebang} (the line, escaped), {@code interpreter}, {@code arguments},
 *       {@code resolved_interpreter} (for {@code env X})</li>
 *   <li>{@value #BINFMT}: {@code name}, {@code interpreter}, {@code flags}</li>
 *   <li>{@value #MOUNT}: {@code mount_point}, {@code options}</li>
 *   <li>{@value #FOREIGN}: {@code format} (PE, Mach-O), {@code machine}</li>
 * </ul>
 * The engine also writes: {@code file} ({@code type, mode, size, uid, gid} of the file asked about),
 * {@code elf.float_abi} (ARM), {@code script.search_path} (when env finds nothing), {@code content} (what a non-program
 * file is: {@code format}, LFS {@code oid}/{@code size}, {@code encoding}, {@code line}...), {@code loader}
 * ({@code path}, {@code problem}), {@code compat} ({@code enabled}, {@code source}), {@code permission}
 * ({@code mode, uid, gid}), {@code mount.fs_type}/{@code mount.source}, and {@code interpreter_diagnosis}
 * ({@code path, cause, errno, summary, evidence}: the verdict on a {@code #!} or binfmt_misc interpreter).
 */
public final class Evidence {
    public static final String ELF = "elf";
    public static final String SCRIPT = "script";
    public static final String BINFMT = "binfmt";
    public static final String MOUNT = "mount";
    public static final String FOREIGN = "foreign";

    private static final Evidence EMPTY = new Evidence(Collections.emptyMap());

    private final Map<String, Object> values;

    private Evidence(Map<String, Object> values) {
        this.values = values;
    }

    public static Evidence empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value under {@code key}, if present. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The string under {@code key}, if present and a string. */
    public Optional<String> string(String key) {
        Object v = values.get(key);
        return v instanceof String ? Optional.of((String) v) : Optional.empty();
    }

    /** The nested group under {@code key}, if present. */
    public Optional<Evidence> group(String key) {
        Object v = values.get(key);
        return v instanceof Evidence ? Optional.of((Evidence) v) : Optional.empty();
    }

    /** All entries in insertion order (unmodifiable). */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence && values.equals(((Evidence) o).values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Collects evidence; later puts of the same key replace earlier ones. */
    public static final class Builder {
        private Map<String, Object> values = new LinkedHashMap<>();
        /** Whether {@link #values} was handed to a built Evidence: the next put copies it first. */
        private boolean built;

        private Builder() {
        }

        public Builder put(String key, String value) {
            return putValue(key, value);
        }

        public Builder put(String key, long value) {
            return putValue(key, value);
        }

        public Builder put(String key, boolean value) {
            return putValue(key, value);
        }

        public Builder put(String key, Evidence value) {
            return putValue(key, value);
        }

        public Builder put(String key, List<?> value) {
            for (Object o : value) {
                checkValue(o);
            }
            return putValue(key, Collections.unmodifiableList(new ArrayList<>(value)));
        }

        /** Copies every entry of {@code other} into this builder. */
        public Builder putAll(Evidence other) {
            writable().putAll(other.values);
            return this;
        }

        private Builder putValue(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (value != null) {
                writable().put(key, value);
            }
            return this;
        }

        private Map<String, Object> writable() {
            if (built) {
                values = new LinkedHashMap<>(values);
                built = false;
            }
            return values;
        }

        private static void checkValue(Object o) {
            if (!(o instanceof String || o instanceof Long || o instanceof Boolean || o instanceof Evidence)) {
                throw new IllegalArgumentException("unsupported evidence value: " + o);
            }
        }

        /** The evidence so far; the builder can go on (without changing what it built). */
        public Evidence build() {
            if (values.isEmpty()) {
                return EMPTY;
            }
            built = true; // shared, not copied: evidence is built for every event written
            return new Evidence(Collections.unmodifiableMap(values));
        }
    }
}
