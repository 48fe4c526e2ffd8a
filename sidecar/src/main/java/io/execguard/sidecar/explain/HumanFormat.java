package io.execguard.sidecar.explain;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.inspect.ShebangLine;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** One block per file: the path, the cause and errno, the summary, the remediation and the key evidence. */
final class HumanFormat implements DiagnosisFormat {
    private final Writer out;
    private boolean first = true;

    HumanFormat(Writer out) {
        this.out = out;
    }

    @Override
    public void write(Diagnosis d) throws IOException {
        if (!first) {
            out.write('\n');
        }
        first = false;
        // A file name can hold a newline or an escape sequence: shown escaped, it cannot forge another block.
        out.write(ShebangLine.escape(d.path()));
        out.write('\n');
        line("cause", d.cause().name() + d.errno().map(e -> " (execve: " + e.name() + ", " + e.message() + ")")
                .orElse(d.runnable() ? "" : " (execve succeeds)") + (d.runnable() ? "" : " - will not run"));
        line("summary", d.summary());
        if (!d.runnable() || d.cause() != io.execguard.core.diagnose.Cause.OK) {
            line("remediation", d.remediation());
        }
        for (Map.Entry<String, Object> group : d.evidence().asMap().entrySet()) {
            if (group.getKey().equals("file") || !(group.getValue() instanceof Evidence)) {
                continue;
            }
            String label = group.getKey().equals("interpreter_diagnosis") ? "interpreter" : group.getKey();
            line(label, flatten((Evidence) group.getValue()));
        }
    }

    private void line(String label, String text) throws IOException {
        out.write("  ");
        out.write(label);
        out.write(':');
        for (int i = label.length(); i < 12; i++) {
            out.write(' ');
        }
        out.write(text);
        out.write('\n');
    }

    /** {@code key=value, ...}; a nested diagnosis shows as its cause and errno only. */
    private static String flatten(Evidence e) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> entry : e.asMap().entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            Object v = entry.getValue();
            if (v instanceof Evidence) {
                Evidence nested = (Evidence) v;
                v = nested.string("cause").map(c -> c + nested.string("errno").map(x -> " " + x).orElse(""))
                        .orElseGet(() -> flatten(nested));
            } else if (v instanceof List) {
                v = String.join(" ", ((List<?>) v).stream().map(String::valueOf).toArray(String[]::new));
            }
            b.append(entry.getKey()).append('=').append(v);
        }
        return b.toString();
    }
}
