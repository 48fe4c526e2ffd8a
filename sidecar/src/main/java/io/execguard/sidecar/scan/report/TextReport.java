package io.execguard.sidecar.scan.report;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Errno;
import io.execguard.sidecar.scan.Finding;
import io.execguard.sidecar.scan.ScanReport;
import io.execguard.sidecar.scan.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** The human format: what was scanned, a summary table by cause, then each finding, most important first. */
final class TextReport {
    private TextReport() {
    }

    static void write(ScanReport report, OutputStream out) throws IOException {
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        header(report, w);
        if (report.findings().isEmpty()) {
            w.println();
            w.println("No findings: every executable will run on the target platform(s).");
        } else {
            w.println();
            table(report, w);
            w.println();
            for (Finding f : report.findings()) {
                finding(f, w);
            }
        }
        w.flush();
        if (w.checkError()) {
            throw new IOException("cannot write the report");
        }
    }

    private static void header(ScanReport report, PrintWriter w) {
        w.println("execguard scan " + report.input());
        for (ScanReport.Unit u : report.units()) {
            w.println("  " + u.format() + " " + u.subject() + " against " + u.target() + ": " + u.executables()
                    + " executables" + u.libc().map(l -> ", libc " + l).orElse("")
                    + (u.unreadable() > 0 ? ", " + u.unreadable() + " unreadable entries skipped" : ""));
            if (!u.chain().isEmpty()) {
                w.println("    entrypoint chain: " + String.join(" -> ", u.chain()));
            }
        }
        Map<Severity, Integer> bySeverity = report.countsBySeverity();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Severity, Integer> e : bySeverity.entrySet()) {
            sb.append(sb.length() == 0 ? " (" : ", ").append(e.getValue()).append(' ').append(e.getKey().label());
        }
        if (sb.length() > 0) {
            sb.append(')');
        }
        w.println("  " + report.findings().size() + " findings" + sb
                + (report.ignored() > 0 ? ", " + report.ignored() + " ignored by --ignore" : ""));
    }

    private static void table(ScanReport report, PrintWriter w) {
        w.printf("%-36s %-8s %6s%n", "CAUSE", "ERRNO", "COUNT");
        for (Map.Entry<Cause, Integer> e : report.countsByCause().entrySet()) {
            w.printf("%-36s %-8s %6d%n", e.getKey().name(),
                    e.getKey().defaultErrno().map(Errno::name).orElse("-"), e.getValue());
        }
    }

    private static void finding(Finding f, PrintWriter w) {
        String where = f.kind() == Finding.Kind.IMAGE ? "image " + f.path() : f.path();
        w.println(f.severity().label().toUpperCase(Locale.ROOT) + "  " + where + "  ["
                + f.diagnosis().platform() + "]  " + f.diagnosis().cause()
                + f.diagnosis().errno().map(e -> " (" + e.name() + ")").orElse("")
                + f.role().map(r -> "  " + r).orElse(""));
        w.println("    " + f.diagnosis().summary());
        w.println("    fix: " + f.diagnosis().remediation());
    }
}
