package io.execguard.core.context;

import java.util.Optional;

/**
 * Run in a child JVM by {@link ProcessContextPrivilegeTest}: reads one pid with whatever privileges this process
 * has and prints what it could see, one {@code key=value} per line.
 */
public final class ProcessContextProbe {
    private ProcessContextProbe() {
    }

    public static void main(String[] args) {
        Optional<ProcessContext> c = ProcessContext.read(Long.parseLong(args[0]));
        System.out.println("present=" + c.isPresent());
        c.ifPresent(p -> {
            System.out.println("name=" + p.name());
            System.out.println("uid=" + p.userIds().uid());
            System.out.println("args=" + p.args().size());
            System.out.println("exe=" + p.executable().orElse(""));
            System.out.println("cwd=" + p.workingDirectory().orElse(""));
            System.out.println("namespaces=" + p.namespaces().size());
            System.out.println("capabilities=" + p.security().effectiveCapabilities().size());
        });
    }
}
