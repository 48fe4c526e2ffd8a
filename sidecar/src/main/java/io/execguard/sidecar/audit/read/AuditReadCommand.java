package io.execguard.sidecar.audit.read;

import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.audit.reassemble.ReassemblyStats;
import io.execguard.sidecar.watch.ArgumentRedaction;
import io.execguard.sidecar.watch.FailureJsonWriter;
import io.execguard.sidecar.watch.HostName;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        description = {"Converts audit logs (as written by auditd, also with node= prefixes and the ENRICHED"
                + " format) into execguard's JSON events, one per line on standard output. A failure is"
                + " diagnosed when its file is reachable here and is still the file the records name.",
            "ENOENT failures of files that do not exist (PATH searches) are left out."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all files read", "1:a file could not be read", "2:bad usage"})
public final class AuditReadCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audit log files, in order; - reads standard input.")
    List<String> files;

    @Option(names = "--no-diagnose", description = "Do not diagnose the files; report what the records say.")
    boolean noDiagnose;

    @Option(names = "--quiet", description = "Do not print the summary to standard error.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        OutputStream stdout = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                1 << 16);
        FailureJsonWriter writer = new FailureJsonWriter(stdout, HostName.local());
        AuditLogConverter converter = new AuditLogConverter(
                noDiagnose ? Optional.empty() : Optional.of(DiagnosisEngine.forHost()), HostFileTree.root(),
                ArgumentRedaction.cached(ArgumentRedaction.standard()), e -> {
                    try {
                        writer.write(e);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
        int exit = 0;
        long start = System.nanoTime();
        for (String file : files) {
            try (InputStream in = open(file)) {
                converter.read(in);
            } catch (IOException e) {
                err.println("execguard: cannot read " + file + ": " + reason(e));
                exit = 1;
            }
        }
        converter.finish();
        writer.flush();
        stdout.flush();
        if (!quiet) {
            summary(err, converter, System.nanoTime() - start);
        }
        return exit;
    }

    private static InputStream open(String file) throws IOException {
        if (file.equals("-")) {
            return System.in;
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new IOException("it is a directory");
        }
        if (!Files.isRegularFile(p) && Files.exists(p)) {
            throw new IOException("it is not a regular file");
        }
        return new FileInputStream(p.toFile());
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException) {
            return m != null && m.contains("Permission denied") ? "permission denied" : "no such file";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void summary(PrintWriter err, AuditLogConverter c, long nanos) {
        ReassemblyStats s = c.stats();
        double secs = nanos / 1e9;
        err.printf("execguard: %d lines (%d malformed), %d events, %d exec failures written, %d ENOENT of missing"
                + " files left out, %d events lost (serial gaps), %d incomplete; %.0f lines/s%n", c.lines(),
                c.malformed(), s.events(), c.failures(), c.ignored(), s.lostEvents(), s.incompleteEvents(),
                secs > 0 ? c.lines() / secs : 0.0);
        c.firstError().ifPresent(m -> err.println("execguard: first malformed line: " + m));
        err.flush();
    }
}
