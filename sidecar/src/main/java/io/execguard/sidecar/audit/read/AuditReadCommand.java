package io.execguard.sidecar.audit.read;

import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.audit.reassemble.ReassemblyStats;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code execguard audit read FILE...}: converts audit logs into the JSON events watch writes, offline. */
@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Converts audit logs (as auditd writes them, also with node= prefixes and in the ENRICHED"
                + " format) into execguard's JSON events, one per line on standard output. A failure is"
                + " diagnosed when its file is reachable here and is still the file the records name.",
            "ENOENT failures of files that do not exist (PATH searches) are left out. A summary goes to"
                + " standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all files read and converted", "1:a file could not be read, the events could not be"
                + " written, or an event could not be converted (each is named)", "2:bad usage"})
public final class AuditReadCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audit log files, in order; - reads standard input.")
    List<String> files;

    @Option(names = "--no-diagnose", description = "Do not diagnose the files; report what the records say.")
    boolean noDiagnose;

    @Option(names = "--quiet", description = "Do not print the summary to standard error.")
    boolean quiet;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that parse records and write JSON, beside the one that reassembles events"
                    + " (default: one per CPU).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        int threads = this.threads > 0 ? this.threads : Runtime.getRuntime().availableProcessors();
        int exit = 0;
        long start = System.nanoTime();
        try (AuditLogConverter converter = new AuditLogConverter(
                noDiagnose ? Optional.empty() : Optional.of(DiagnosisEngine.forHost()), HostFileTree.root(), stdout,
                threads)) {
            try {
                for (String file : files) {
                    try (InputStream in = open(file)) {
                        converter.read(in);
                    } catch (NoSuchFileException | FileProblem e) {
                        err.println("execguard: cannot read " + file + ": " + reason(e));
                        exit = 1;
                    }
                }
                converter.finish();
                AuditLogConverter.flush(stdout);
            } catch (IOException e) {
                err.println("execguard: " + e.getMessage());
                err.flush();
                return 1;
            }
            if (!quiet) {
                summary(err, converter, System.nanoTime() - start);
            }
            if (converter.unconverted() > 0) {
                err.println("execguard: " + converter.unconverted() + " events could not be converted; the first: "
                        + converter.firstUnconverted().orElse("?"));
                err.flush();
                exit = 1;
            }
        }
        return exit;
    }

    private static InputStream open(String file) throws IOException {
        if (file.equals("-")) {
            return new ReadFailures(System.in);
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new FileProblem("it is a directory");
        }
        if (!Files.exists(p)) {
            throw new NoSuchFileException(file);
        }
        if (!Files.isRegularFile(p)) {
            throw new FileProblem("it is not a regular file");
        }
        try {
            return new ReadFailures(new FileInputStream(p.toFile()));
        } catch (IOException e) {
            throw new FileProblem(reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        if (m != null && m.contains("Permission denied")) {
            return "permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** A file that cannot be read, as opposed to output that cannot be written. */
    private static final class FileProblem extends IOException {
        private static final long serialVersionUID = 1L;

        FileProblem(String message) {
            super(message);
        }
    }

    /** Tells read errors of an input apart from write errors of the output, which end the command. */
    private static final class ReadFailures extends FilterInputStream {
        ReadFailures(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws FileProblem {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new FileProblem(reason(e));
            }
        }
    }

    private static void summary(PrintWriter err, AuditLogConverter c, long nanos) {
        ReassemblyStats s = c.stats();
        double secs = nanos / 1e9;
        err.printf("execguard: %d lines (%d malformed), %d exec failures written, %d ENOENT of missing files left"
                + " out, %d events lost (serial gaps), %d incomplete; %.0f lines/s%n", c.lines(), c.malformed(),
                c.failures(), c.ignored(), s.lostEvents(), s.incompleteEvents(), secs > 0 ? c.lines() / secs : 0.0);
        c.firstError().ifPresent(m -> err.println("execguard: first malformed line: " + m));
        err.flush();
    }
}
