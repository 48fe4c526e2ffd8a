package io.execguard.sidecar.scan.report;

import io.execguard.sidecar.scan.ScanReport;
import java.io.IOException;
import java.io.OutputStream;

/** The output formats of {@code execguard scan --format}. */
public enum ReportFormat {
    /** A summary table by cause, then the findings, most important first. */
    TEXT {
        @Override
        public void write(ScanReport report, OutputStream out) throws IOException {
            TextReport.write(report, out);
        }
    },
    /** One ECS-style JSON object per line per finding, then one summary object. */
    JSON {
        @Override
        public void write(ScanReport report, OutputStream out) throws IOException {
            JsonReport.write(report, out);
        }
    },
    /** One SARIF 2.1.0 log, for CI code-scanning views. */
    SARIF {
        @Override
        public void write(ScanReport report, OutputStream out) throws IOException {
            SarifReport.write(report, out);
        }
    };

    /** Writes {@code report} to {@code out} (not closed). */
    public abstract void write(ScanReport report, OutputStream out) throws IOException;
}
