package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.netlink.AuditException;
import io.execguard.sidecar.audit.netlink.AuditMulticastReader;

/** Run in a child JVM by {@link AuditPrivilegeErrorsTest}: opens the multicast reader and reports the outcome. */
public final class ReaderProbe {
    private ReaderProbe() {
    }

    public static void main(String[] args) {
        try (AuditMulticastReader reader = AuditMulticastReader.open()) {
            System.out.println("open");
        } catch (AuditException e) {
            System.out.println(e.problem() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
