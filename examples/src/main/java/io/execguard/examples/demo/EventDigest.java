package io.execguard.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one event into the few lines a person reads first: what happened to which file, the diagnosis, the fix,
 * and who tried the exec. Everything else stays in the JSON, which the demo keeps on disk.
 */
final class EventDigest {
    private static final int WIDTH = 116;

    private EventDigest() {
    }

    /** The digest lines of one event, without trailing newlines. */
    static List<String> lines(JsonNode event) {
        List<String> out = new ArrayList<>();
        String action = EventFields.text(event, "event.action").orElse("(no event.action)");
        String path = EventFields.text(event, "file.path").orElse("(no file.path)");
        String cause = EventFields.text(event, "execguard.diagnosis.cause").orElse("?");
        String errno = EventFields.firstText(event, "execguard.diagnosis.errno", "error.code").orElse("-");
        out.add(String.format("  %-20s %s", action, path));
        out.add(String.format("      cause   %s (%s)", cause, errno));
        EventFields.text(event, "execguard.diagnosis.summary").ifPresent(s -> wrap(out, "what", s));
        EventFields.text(event, "execguard.diagnosis.remediation").ifPresent(s -> wrap(out, "fix", s));
        caller(event).ifPresent(s -> wrap(out, "caller", s));
        EventFields.firstText(event, "execguard.details.exec.args", "execguard.exec.args", "process.command_line",
                "process.args")
                .ifPresent(s -> wrap(out, "command", s));
        EventFields.text(event, "error.message").ifPresent(s -> wrap(out, "error", s));
        return out;
    }

    /** Who tried the exec: the process, the caller kind the sidecar infers, the Java call site the agent finds. */
    private static Optional<String> caller(JsonNode event) {
        List<String> parts = new ArrayList<>();
        EventFields.firstText(event, "process.name", "process.executable").ifPresent(parts::add);
        EventFields.text(event, "process.pid").ifPresent(pid -> parts.add("pid " + pid));
        EventFields.text(event, "execguard.caller.kind").ifPresent(kind -> parts.add("kind " + kind));
        EventFields.text(event, "container.id").ifPresent(id -> parts.add("container " + abbreviate(id)));
        EventFields.node(event, "execguard.source.call_site")
                .map(site -> site.isArray() ? site.path(0).asText() : site.asText())
                .or(() -> EventFields.node(event, "execguard.call_site.frame").map(JsonNode::asText))
                .filter(site -> !site.isEmpty()).ifPresent(site -> parts.add("at " + site));
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    private static String abbreviate(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void wrap(List<String> out, String label, String text) {
        String prefix = String.format("      %-8s", label);
        String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
                out.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.add(line.toString());
    }
}
