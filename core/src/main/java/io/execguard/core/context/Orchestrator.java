package io.execguard.core.context;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes pod a process runs in ({@code orchestrator.*}), from the downward-API environment of the pod.
 * Immutable.
 *
 * <p>Environment variables read (first non-empty wins), to be set in the pod spec with {@code fieldRef}:
 * <ul>
 *   <li>namespace: {@value #NAMESPACE_VAR} ({@code metadata.namespace}), else {@code POD_NAMESPACE}</li>
 *   <li>pod name: {@value #POD_NAME_VAR} ({@code metadata.name}), else {@code POD_NAME}</li>
 *   <li>pod uid: {@value #POD_UID_VAR} ({@code metadata.uid}), else {@code POD_UID}; the cgroup path's pod uid is
 *       used when neither is set (see {@link #withPodUid(String)})</li>
 * </ul>
 * Nothing is guessed from {@code HOSTNAME}: a pod may set its own hostname.
 */
public final class Orchestrator {
    public static final String NAMESPACE_VAR = "EXECGUARD_POD_NAMESPACE";
    public static final String POD_NAME_VAR = "EXECGUARD_POD_NAME";
    public static final String POD_UID_VAR = "EXECGUARD_POD_UID";

    private final String namespace;
    private final String podName;
    private final String podUid;

    public Orchestrator(String namespace, String podName, String podUid) {
        this.namespace = namespace;
        this.podName = podName;
        this.podUid = podUid;
    }

    /** The pod named by this process's environment; empty when none of the variables is set. */
    public static Optional<Orchestrator> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** The pod named by {@code environment}; empty when none of the variables is set. */
    public static Optional<Orchestrator> fromEnvironment(Map<String, String> environment) {
        String namespace = first(environment, NAMESPACE_VAR, "POD_NAMESPACE");
        String name = first(environment, POD_NAME_VAR, "POD_NAME");
        String uid = first(environment, POD_UID_VAR, "POD_UID");
        if (namespace == null && name == null && uid == null) {
            return Optional.empty();
        }
        return Optional.of(new Orchestrator(namespace, name, uid));
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** A copy with {@code podUid} filled in when this one has none (e.g. from {@link ContainerIdentity#podUid()}). */
    public Orchestrator withPodUid(String podUid) {
        return this.podUid != null || podUid == null ? this : new Orchestrator(namespace, podName, podUid);
    }

    /** {@code orchestrator.namespace}. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** {@code orchestrator.resource.name} (with {@code orchestrator.resource.type} {@code pod}). */
    public Optional<String> podName() {
        return Optional.ofNullable(podName);
    }

    /** {@code orchestrator.resource.id}. */
    public Optional<String> podUid() {
        return Optional.ofNullable(podUid);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Orchestrator)) {
            return false;
        }
        Orchestrator x = (Orchestrator) o;
        return Objects.equals(namespace, x.namespace) && Objects.equals(podName, x.podName)
                && Objects.equals(podUid, x.podUid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, podName, podUid);
    }

    @Override
    public String toString() {
        return namespace + "/" + podName + (podUid == null ? "" : " (" + podUid + ")");
    }
}
