package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.platform.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one scan found: the units scanned (a directory, or an image manifest against one target
 * platform), the findings most important first, and the counts the summary needs. Immutable.
 */
public final class ScanReport {
    /** Most important first: severity, then image over entrypoint over other files, chain order, cause, path. */
    static final Comparator<Finding> IMPORTANCE = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::kind)
            .thenComparingInt(Finding::chainPosition)
            .thenComparing(f -> f.diagnosis().cause())
            .thenComparing(Finding::path)
            .thenComparing(f -> f.diagnosis().platform().toString());

    private final String input;
    private final List<Unit> units;
    private final List<Finding> findings;
    private final int ignored;

    ScanReport(String input, List<Unit> units, List<Finding> findings, int ignored) {
        this.input = input;
        this.units = Collections.unmodifiableList(new ArrayList<>(units));
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(IMPORTANCE);
        this.findings = Collections.unmodifiableList(sorted);
        this.ignored = ignored;
    }

    /** The directory or archive as given on the command line. */
    public String input() {
        return input;
    }

    public List<Unit> units() {
        return units;
    }

    /** Findings not ignored, most important first. */
    public List<Finding> findings() {
        return findings;
    }

    /** Findings dropped by {@code --ignore}. */
    public int ignored() {
        return ignored;
    }

    /** Files diagnosed over all units. */
    public long executablesScanned() {
        long n = 0;
        for (Unit u : units) {
            n += u.executables();
        }
        return n;
    }

    /** Findings per cause, in the enum's order. */
    public Map<Cause, Integer> countsByCause() {
        Map<Cause, Integer> counts = new EnumMap<>(Cause.class);
        for (Finding f : findings) {
            counts.merge(f.diagnosis().cause(), 1, Integer::sum);
        }
        return counts;
    }

    /** Findings per severity. */
    public Map<Severity, Integer> countsBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : findings) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        return counts;
    }

    /** The most severe finding's severity; empty when there is none. */
    public Optional<Severity> worst() {
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0).severity());
    }

    /** 1 when a finding is at or above {@code failOn} (empty = never fail), else 0. */
    public int exitCode(Optional<Severity> failOn) {
        return failOn.isPresent() && worst().map(w -> w.atLeast(failOn.get())).orElse(false) ? 1 : 0;
    }

    /** One scanned directory, or one image manifest judged against one target platform. Immutable. */
    public static final class Unit {
        private final String subject;
        private final String format;
        private final Platform target;
        private final String libc;
        private final List<String> chain;
        private final long executables;
        private final long capturedBytes;
        private final int unreadable;

        Unit(String subject, String format, Platform target, String libc, List<String> chain, long executables,
             long capturedBytes, int unreadable) {
            this.subject = subject;
            this.format = format;
            this.target = target;
            this.libc = libc;
            this.chain = Collections.unmodifiableList(new ArrayList<>(chain));
            this.executables = executables;
            this.capturedBytes = capturedBytes;
            this.unreadable = unreadable;
        }

        /** The directory, or the image name. */
        public String subject() {
            return subject;
        }

        /** {@code directory}, {@code docker save archive}, {@code OCI layout} or {@code OCI archive}. */
        public String format() {
            return format;
        }

        public Platform target() {
            return target;
        }

        /** The image's C library from its loader files; empty for directories. */
        public Optional<String> libc() {
            return Optional.ofNullable(libc);
        }

        /** The ENTRYPOINT/CMD chain as {@code path (role)} strings, in order; empty for directories. */
        public List<String> chain() {
            return chain;
        }

        /** Executable files diagnosed in this unit. */
        public long executables() {
            return executables;
        }

        /** Bytes of file content held in memory for an image (the memory bound's main term). */
        public long capturedBytes() {
            return capturedBytes;
        }

        /** Directories or files that could not be read (directory scans). */
        public int unreadable() {
            return unreadable;
        }
    }
}
