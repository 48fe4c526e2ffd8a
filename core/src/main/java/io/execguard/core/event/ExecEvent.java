package io.execguard.core.event;

import io.execguard.core.context.ContainerIdentity;
import io.execguard.core.context.HostInfo;
import io.execguard.core.context.Orchestrator;
import io.execguard.core.context.ProcessContext;
import io.execguard.core.context.SecurityContext;
import io.execguard.core.context.UserIds;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One failed or refused exec, as the agent and the sidecar report it: the event model behind every JSON line
 * execguard writes (see {@code docs/events.md} for the field names). Immutable and cheap to build on the thread
 * that attempted the exec; serialisation and redaction happen later, on the pipeline's writer thread.
 */
public final class ExecEvent {
    private final String id;
    private final Instant timestamp;
    private final EventAction action;
    private final EventDataset dataset;
    private final String message;
    private final ProcessInfo process;
    private final FileInfo file;
    private final ErrorInfo error;
    private final UserIds user;
    private final HostInfo host;
    private final ContainerIdentity container;
    private final Orchestrator orchestrator;
    private final SecurityContext security;
    private final Boolean targetInWorldWritableDirectory;
    private final EventSource source;
    private final Diagnosis diagnosis;
    private final CallerKind callerKind;
    private final DuplicateSummary duplicates;
    private final Evidence details;

    private ExecEvent(Builder b) {
        this.id = b.id != null ? b.id : randomId();
        this.timestamp = b.timestamp != null ? b.timestamp : Instant.now();
        this.action = b.action;
        this.dataset = b.dataset;
        this.message = b.message;
        this.process = b.process;
        this.file = b.file;
        this.error = b.error;
        this.user = b.user;
        this.host = b.host;
        this.container = b.container;
        this.orchestrator = b.orchestrator;
        this.security = b.security;
        this.targetInWorldWritableDirectory = b.targetInWorldWritableDirectory;
        this.source = b.source;
        this.diagnosis = b.diagnosis;
        this.callerKind = b.callerKind;
        this.duplicates = b.duplicates;
        this.details = b.details;
    }

    /** Starts an event; {@code @timestamp} defaults to now, {@code event.id} to a random UUID, host to this one. */
    public static Builder builder(EventAction action, EventDataset dataset) {
        return new Builder(action, dataset);
    }

    /**
     * A random version-4 UUID from {@link ThreadLocalRandom}: event ids need uniqueness, not secrecy, and
     * {@link UUID#randomUUID()} would make concurrent exec threads contend on one SecureRandom.
     */
    private static String randomId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** {@code event.id}. */
    public String id() {
        return id;
    }

    /** {@code @timestamp}: when the exec was attempted. */
    public Instant timestamp() {
        return timestamp;
    }

    public EventAction action() {
        return action;
    }

    public EventDataset dataset() {
        return dataset;
    }

    /** ECS {@code message}: one human-readable line; defaults to the diagnosis summary when written. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    public Optional<ProcessInfo> process() {
        return Optional.ofNullable(process);
    }

    public Optional<FileInfo> file() {
        return Optional.ofNullable(file);
    }

    public Optional<ErrorInfo> error() {
        return Optional.ofNullable(error);
    }

    /** {@code user.*} of the process that attempted the exec. */
    public Optional<UserIds> user() {
        return Optional.ofNullable(user);
    }

    public Optional<HostInfo> host() {
        return Optional.ofNullable(host);
    }

    public Optional<ContainerIdentity> container() {
        return Optional.ofNullable(container);
    }

    public Optional<Orchestrator> orchestrator() {
        return Optional.ofNullable(orchestrator);
    }

    /** {@code execguard.security} (and {@code process.thread.capabilities} when the process has none set). */
    public Optional<SecurityContext> security() {
        return Optional.ofNullable(security);
    }

    /** {@code execguard.security.target_in_world_writable_dir}. */
    public Optional<Boolean> targetInWorldWritableDirectory() {
        return Optional.ofNullable(targetInWorldWritableDirectory);
    }

    public Optional<EventSource> source() {
        return Optional.ofNullable(source);
    }

    /** {@code execguard.diagnosis}: the engine's verdict on the target. */
    public Optional<Diagnosis> diagnosis() {
        return Optional.ofNullable(diagnosis);
    }

    /** {@code execguard.caller.kind}. */
    public Optional<CallerKind> callerKind() {
        return Optional.ofNullable(callerKind);
    }

    /** {@code execguard.duplicates}, for an event that summarises identical failures. */
    public Optional<DuplicateSummary> duplicates() {
        return Optional.ofNullable(duplicates);
    }

    /** {@code execguard.details}: free-form facts a component adds (e.g. the agent's mode). */
    public Optional<Evidence> details() {
        return Optional.ofNullable(details);
    }

    /** A builder pre-filled with this event (same id and timestamp). */
    public Builder toBuilder() {
        Builder b = new Builder(action, dataset);
        b.id = id;
        b.timestamp = timestamp;
        b.message = message;
        b.process = process;
        b.file = file;
        b.error = error;
        b.user = user;
        b.host = host;
        b.container = container;
        b.orchestrator = orchestrator;
        b.security = security;
        b.targetInWorldWritableDirectory = targetInWorldWritableDirectory;
        b.source = source;
        b.diagnosis = diagnosis;
        b.callerKind = callerKind;
        b.duplicates = duplicates;
        b.details = details;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExecEvent)) {
            return false;
        }
        ExecEvent e = (ExecEvent) o;
        return id.equals(e.id) && timestamp.equals(e.timestamp) && action == e.action && dataset == e.dataset
                && Objects.equals(message, e.message) && Objects.equals(process, e.process)
                && Objects.equals(file, e.file) && Objects.equals(error, e.error) && Objects.equals(user, e.user)
                && Objects.equals(host, e.host) && Objects.equals(container, e.container)
                && Objects.equals(orchestrator, e.orchestrator) && Objects.equals(security, e.security)
                && Objects.equals(targetInWorldWritableDirectory, e.targetInWorldWritableDirectory)
                && Objects.equals(source, e.source) && Objects.equals(diagnosis, e.diagnosis)
                && callerKind == e.callerKind && Objects.equals(duplicates, e.duplicates)
                && Objects.equals(details, e.details);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ExecEvent{" + action.value() + " " + dataset.value() + " " + id + ", file=" + file + ", error="
                + error + "}";
    }

    /** Builds an {@link ExecEvent}. Every field except action and dataset is optional. */
    public static final class Builder {
        private EventAction action;
        private final EventDataset dataset;
        private String id;
        private Instant timestamp;
        private String message;
        private ProcessInfo process;
        private FileInfo file;
        private ErrorInfo error;
        private UserIds user;
        private HostInfo host = HostInfo.current();
        private ContainerIdentity container;
        private Orchestrator orchestrator;
        private SecurityContext security;
        private Boolean targetInWorldWritableDirectory;
        private EventSource source;
        private Diagnosis diagnosis;
        private CallerKind callerKind;
        private DuplicateSummary duplicates;
        private Evidence details;

        private Builder(EventAction action, EventDataset dataset) {
            this.action = Objects.requireNonNull(action, "action");
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** Changes the action, e.g. to turn a copied {@code exec-shell-fallback} into {@code exec-blocked}. */
        public Builder action(EventAction action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** {@code event.id}; null (the default) picks a random UUID. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /**
         * Fills {@code process.*}, {@code user.*}, {@code execguard.security} and {@code container.*} from a
         * {@code /proc} snapshot of the process that attempted the exec.
         */
        public Builder context(ProcessContext context) {
            this.process = ProcessInfo.from(context).build();
            this.user = context.userIds();
            this.security = context.security();
            this.container = context.container().orElse(null);
            return this;
        }

        public Builder process(ProcessInfo process) {
            this.process = process;
            return this;
        }

        public Builder file(FileInfo file) {
            this.file = file;
            return this;
        }

        public Builder error(ErrorInfo error) {
            this.error = error;
            return this;
        }

        /** {@code error.code} and {@code error.message}. */
        public Builder error(String code, String message) {
            return error(new ErrorInfo(code, message));
        }

        public Builder user(UserIds user) {
            this.user = user;
            return this;
        }

        /** Replaces the default ({@link HostInfo#current()}); null leaves {@code host.*} out. */
        public Builder host(HostInfo host) {
            this.host = host;
            return this;
        }

        public Builder container(ContainerIdentity container) {
            this.container = container;
            return this;
        }

        public Builder orchestrator(Orchestrator orchestrator) {
            this.orchestrator = orchestrator;
            return this;
        }

        public Builder security(SecurityContext security) {
            this.security = security;
            return this;
        }

        public Builder targetInWorldWritableDirectory(boolean value) {
            this.targetInWorldWritableDirectory = value;
            return this;
        }

        public Builder source(EventSource source) {
            this.source = source;
            return this;
        }

        public Builder diagnosis(Diagnosis diagnosis) {
            this.diagnosis = diagnosis;
            return this;
        }

        public Builder callerKind(CallerKind callerKind) {
            this.callerKind = callerKind;
            return this;
        }

        public Builder duplicates(DuplicateSummary duplicates) {
            this.duplicates = duplicates;
            return this;
        }

        public Builder details(Evidence details) {
            this.details = details;
            return this;
        }

        public ExecEvent build() {
            return new ExecEvent(this);
        }
    }
}
