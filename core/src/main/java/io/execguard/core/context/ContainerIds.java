package io.execguard.core.context;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the container and Kubernetes pod of a process from {@code /proc/PID/cgroup}, for cgroup v1 (one line
 * per hierarchy) and v2 ({@code 0::/path}), with the cgroupfs and systemd cgroup drivers:
 * <ul>
 *   <li>Docker: {@code /docker/<id>}, {@code docker-<id>.scope}</li>
 *   <li>containerd (CRI): {@code cri-containerd-<id>.scope}, {@code ...:cri-containerd:<id>}</li>
 *   <li>CRI-O: {@code crio-<id>.scope}, {@code /crio-<id>} (but not {@code crio-conmon-<id>})</li>
 *   <li>Podman: {@code libpod-<id>.scope}, rootless {@code .../libpod-<id>.scope/container},
 *       cgroupfs {@code /libpod_parent/libpod-<id>} (but not {@code libpod-conmon-<id>})</li>
 *   <li>any other element that is, or ends in {@code -}, a 64-hex id (optionally {@code .scope}): runtime
 *       {@link ContainerRuntime#UNKNOWN} (e.g. cgroupfs {@code /kubepods/burstable/pod<uid>/<id>})</li>
 *   <li>pod uid: {@code pod<uid>} elements of kubepods paths ({@code kubepods-burstable-pod<uid>.slice}
 *       with underscores for dashes under systemd, {@code /kubepods/besteffort/pod<uid>} under cgroupfs)</li>
 * </ul>
 * Paths are relative to the reader's cgroup namespace: inside a container with a private cgroup namespace
 * (Docker's default on cgroup v2) the process's own file reads {@code 0::/} and no id can be known from it.
 */
public final class ContainerIds {
    private static final String HEX64 = "([0-9a-f]{64})";
    private static final Pattern DOCKER_SCOPE = Pattern.compile("docker-" + HEX64 + "\\.scope");
    private static final Pattern CONTAINERD_SCOPE = Pattern.compile("cri-containerd-" + HEX64 + "\\.scope");
    private static final Pattern CONTAINERD_COLON = Pattern.compile(".*:cri-containerd:" + HEX64);
    private static final Pattern CRIO = Pattern.compile("crio-" + HEX64 + "(?:\\.scope)?");
    private static final Pattern PODMAN = Pattern.compile("libpod-" + HEX64 + "(?:\\.scope)?");
    private static final Pattern BARE = Pattern.compile(HEX64);
    private static final Pattern GENERIC = Pattern.compile(".*-" + HEX64 + "(?:\\.scope)?");
    private static final Pattern POD = Pattern.compile(
            "(?:.*-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\\.slice)?(?::.*)?");

    private ContainerIds() {
    }

    /**
     * The container (and pod) named by the text of a {@code /proc/PID/cgroup} file; empty for a process that is
     * not in a recognisable container (host process, private cgroup namespace, unknown layout).
     */
    public static Optional<ContainerIdentity> fromCgroupFile(String cgroupFileText) {
        ContainerIdentity best = null;
        String podUid = null;
        for (String line : cgroupFileText.split("\n")) {
            String path = cgroupPath(line);
            if (path == null) {
                continue;
            }
            ContainerIdentity found = fromCgroupPath(path);
            if (found == null) {
                continue;
            }
            if (podUid == null) {
                podUid = found.podUid().orElse(null);
            }
            if (best == null && found.containerId().isPresent()) {
                best = found;
            }
        }
        if (best != null) {
            return Optional.of(podUid == null || best.podUid().isPresent() ? best
                    : new ContainerIdentity(best.containerId().get(), best.runtime(), podUid));
        }
        return podUid == null ? Optional.empty()
                : Optional.of(new ContainerIdentity(null, ContainerRuntime.UNKNOWN, podUid));
    }

    /** The path part of one {@code hierarchy-id:controllers:path} line, or null for a malformed line. */
    private static String cgroupPath(String line) {
        int first = line.indexOf(':');
        int second = first < 0 ? -1 : line.indexOf(':', first + 1);
        return second < 0 ? null : line.substring(second + 1).trim();
    }

    /** The identity one cgroup path names, or null. Elements are searched from the leaf up. */
    static ContainerIdentity fromCgroupPath(String path) {
        String[] elements = path.split("/");
        ContainerIdentity container = null;
        String podUid = null;
        for (int i = elements.length - 1; i >= 0; i--) {
            if (container == null) {
                container = containerOf(elements[i], i > 0 ? elements[i - 1] : "");
            }
            if (podUid == null) {
                Matcher m = POD.matcher(elements[i]);
                if (m.matches()) {
                    podUid = m.group(1).replace('_', '-').toLowerCase(Locale.ROOT);
                }
            }
        }
        if (container == null) {
            return podUid == null ? null : new ContainerIdentity(null, ContainerRuntime.UNKNOWN, podUid);
        }
        return new ContainerIdentity(container.containerId().get(), container.runtime(), podUid);
    }

    /** The container one path element names (without pod), or null. Specific runtimes before the generic id. */
    private static ContainerIdentity containerOf(String element, String parent) {
        String id;
        if ((id = match(DOCKER_SCOPE, element)) != null) {
            return new ContainerIdentity(id, ContainerRuntime.DOCKER, null);
        }
        if ((id = match(CONTAINERD_SCOPE, element)) != null || (id = match(CONTAINERD_COLON, element)) != null) {
            return new ContainerIdentity(id, ContainerRuntime.CONTAINERD, null);
        }
        if ((id = match(CRIO, element)) != null) {
            return new ContainerIdentity(id, ContainerRuntime.CRIO, null);
        }
        if ((id = match(PODMAN, element)) != null) {
            return new ContainerIdentity(id, ContainerRuntime.PODMAN, null);
        }
        if (element.startsWith("crio-conmon-") || element.startsWith("libpod-conmon-")) {
            return null; // the runtime's monitor process, not the container
        }
        if ((id = match(BARE, element)) != null && parent.equals("docker")) {
            return new ContainerIdentity(id, ContainerRuntime.DOCKER, null);
        }
        if (id != null || (id = match(GENERIC, element)) != null) {
            return new ContainerIdentity(id, ContainerRuntime.UNKNOWN, null);
        }
        return null;
    }

    private static String match(Pattern pattern, String element) {
        Matcher m = pattern.matcher(element);
        return m.matches() ? m.group(1) : null;
    }
}
