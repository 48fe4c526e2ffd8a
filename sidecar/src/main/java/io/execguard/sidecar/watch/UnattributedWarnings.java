package io.execguard.sidecar.watch;

import java.util.function.Consumer;

/**
 * Says - at most once per interval - why failed execs could not be attributed to this pod: which process's root
 * could not be opened, with which errno, and what would fix it. A warning per failure would flood the log on a
 * busy node, where every other pod's failure is unattributable while one root is out of reach; the counter
 * ({@code execguard_exec_failures_unattributed_total}) has the exact number. Not thread-safe: one worker.
 */
final class UnattributedWarnings {
    private final Consumer<String> log;
    private final RootAccess access;
    private final long intervalMillis;
    private boolean warned;
    private long lastMillis;
    private long since;

    UnattributedWarnings(Consumer<String> log, RootAccess access, long intervalMillis) {
        this.log = log;
        this.access = access;
        this.intervalMillis = intervalMillis;
    }

    /** Records one unattributed failure at {@code nowMillis}, and warns unless it warned within the interval. */
    void report(PodScope.Location where, long nowMillis) {
        since++;
        if (warned && nowMillis - lastMillis < intervalMillis) {
            return;
        }
        log.accept("pod scope: " + (since == 1 ? "a failed exec" : since + " failed execs") + " could not be"
                + " attributed to this pod, because " + roots(where) + "; not written (it may be another pod's"
                + " file), counted in execguard_exec_failures_unattributed_total; next warning in "
                + intervalMillis / 1000 + " s at the earliest");
        warned = true;
        lastMillis = nowMillis;
        since = 0;
    }

    private String roots(PodScope.Location where) {
        PodScope.Unopened first = where.unopened().get(0);
        int more = where.unopened().size() - 1;
        return "the root of pid " + first.pid() + " (" + first.comm() + "), " + first.error().root() + ", "
                + access.whyUnopened(first.error())
                + (more > 0 ? ", and " + more + " more process root" + (more == 1 ? "" : "s") + " could not be opened"
                        : "");
    }
}
