package io.execguard.sidecar.audit.source;

import io.execguard.core.event.EventSource;
import io.execguard.sidecar.audit.netlink.AuditMulticastReader;
import io.execguard.sidecar.audit.netlink.NetlinkRecord;
import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.parse.MalformedRecordException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** Records from the kernel's audit multicast group (one record per datagram). */
public final class NetlinkRecordSource implements AuditRecordSource {
    private final AuditMulticastReader reader;
    private final AuditRecordParser parser = new AuditRecordParser();

    public NetlinkRecordSource(AuditMulticastReader reader) {
        this.reader = reader;
    }

    @Override
    public void poll(Duration timeout, Consumer<AuditRecord> sink, Runnable malformed) throws IOException {
        Optional<NetlinkRecord> r = reader.read(timeout);
        while (r.isPresent()) {
            try {
                sink.accept(parser.parseNetlink(r.get().type(), r.get().text()));
            } catch (MalformedRecordException e) {
                malformed.run();
            }
            r = reader.read(Duration.ZERO);
        }
    }

    @Override
    public String type() {
        return EventSource.AUDIT_NETLINK;
    }

    @Override
    public long socketOverflows() {
        return reader.overflows();
    }

    @Override
    public long socketDroppedRecords() {
        return reader.droppedRecords();
    }

    @Override
    public String describe() {
        return "the kernel's audit multicast stream";
    }

    @Override
    public void close() {
        reader.close();
    }
}
