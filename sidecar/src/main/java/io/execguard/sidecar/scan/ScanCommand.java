package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.platform.Platform;
import io.execguard.sidecar.scan.image.ImageArchive;
import io.execguard.sidecar.scan.report.ReportFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code execguard scan}: will every executable in a directory or container image run on the target platforms? */
@Command(name = "scan",
        sortOptions = false,
        description = {
            "Finds every executable (any execute bit, plus the programs an image's ENTRYPOINT/CMD chain names) that "
                + "would not run on the target platform(s), and says why and what to do.",
            "",
            "INPUT is a directory (treated as a root file system: symlinks and interpreters resolve inside it), "
                + "an OCI image layout directory, a `docker save` tarball, or an OCI archive (tar of a layout). "
                + "Images are read without a daemon or registry; layers (plain, gzip or zstd) are streamed, never "
                + "unpacked to disk."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no finding at or above --fail-on",
            "1:findings at or above --fail-on",
            "2:usage error, or the input cannot be read"
        },
        footerHeading = "%nSeverities:%n",
        footer = {
            "  critical  the container will not start: a program of the ENTRYPOINT/CMD chain",
            "            will not run, or the image does not fit the platform (its binaries",
            "            contradict its declared platform, or it has no manifest for it)",
            "  error     an executable will not run on the target platform",
            "  warning   an executable runs only through a binfmt_misc emulator",
            "",
            "See docs/scan.md for what is captured from images and the memory bound."
        })
public final class ScanCommand implements Callable<Integer> {
    /** The severity threshold names accepted by {@code --fail-on}. */
    enum FailOn {
        CRITICAL, ERROR, WARNING, NONE;

        Optional<Severity> threshold() {
            return this == NONE ? Optional.empty() : Optional.of(Severity.valueOf(name()));
        }
    }

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "Directory, OCI layout, docker save tarball or OCI archive.")
    private Path input;

    @Option(names = "--platform", split = ",", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Target platform(s), comma-separated (linux/amd64,linux/arm64). Default: the image's own "
                    + "platform(s), else this host's.")
    private List<String> platforms = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (summary table then findings), json (one ECS object per finding, then a summary), "
                    + "or sarif (SARIF 2.1.0). Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "error",
            description = "Exit 1 when a finding is at least this severe: critical, error, warning or none. "
                    + "Default: ${DEFAULT-VALUE} (anything that would not run).")
    private String failOn;

    @Option(names = "--ignore", paramLabel = "GLOB",
            description = "Known exceptions, repeatable. A glob with a / matches the absolute path inside the "
                    + "scanned tree (** crosses directories: /usr/lib/**); one without matches file names (*.so*).")
    private List<String> ignore = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    private Path output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--no-progress", description = "Never draw the progress bar (drawn only when stderr is a terminal).")
    private boolean noProgress;

    private Scanner.Diagnoser diagnoser;

    /** The command with the core engine. */
    public ScanCommand() {
        this(null);
    }

    /** The command with another diagnoser; null means the core engine. */
    ScanCommand(Scanner.Diagnoser diagnoser) {
        this.diagnoser = diagnoser;
    }

    @Override
    public Integer call() {
        List<Platform> targets = parsePlatforms();
        ReportFormat reportFormat = parseEnum(ReportFormat.class, format, "--format");
        Optional<Severity> threshold = parseEnum(FailOn.class, failOn, "--fail-on").threshold();
        IgnoreRules rules;
        try {
            rules = IgnoreRules.of(ignore);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Progress progress = noProgress ? Progress.NONE : Progress.forStderr();
        Scanner scanner = new Scanner(diagnoser != null ? diagnoser : DiagnosisEngine.forHost()::diagnose, rules,
                progress);
        try {
            ScanReport report = scan(scanner, targets);
            write(report, reportFormat);
            return report.exitCode(threshold);
        } catch (IOException e) {
            return fail(e.getMessage());
        } catch (RuntimeException e) {
            // An engine or parser bug must not look like "findings" (1): say what broke, exit 2.
            return fail("cannot scan " + input + " (" + e + ")");
        }
    }

    private int fail(String sentence) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("execguard scan: " + sentence);
        err.flush();
        return 2;
    }

    private ScanReport scan(Scanner scanner, List<Platform> targets) throws IOException {
        if (!Files.exists(input)) {
            throw new IOException(input + " does not exist");
        }
        if (Files.isDirectory(input) && !ImageArchive.isLayoutDirectory(input)) {
            return scanner.scanDirectory(input, targets.isEmpty() ? Collections.singletonList(Platform.host())
                    : targets);
        }
        try (ImageArchive archive = ImageArchive.open(input)) {
            return scanner.scanImage(archive, input.toString(), targets);
        }
    }

    private void write(ScanReport report, ReportFormat reportFormat) throws IOException {
        if (output == null) {
            OutputStream out = new BufferedOutputStream(System.out);
            reportFormat.write(report, out);
            out.flush();
            return;
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
            reportFormat.write(report, out);
        } catch (IOException e) {
            throw new IOException("cannot write " + output + " (" + e.getMessage() + ")", e);
        }
    }

    private List<Platform> parsePlatforms() {
        List<Platform> out = new ArrayList<>();
        for (String p : platforms) {
            Platform platform;
            try {
                platform = Platform.parse(p);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--platform: " + e.getMessage());
            }
            if (!platform.os().equals("linux")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--platform: " + platform
                        + " is not a Linux platform; scan predicts what Linux's execve does (e.g. linux/arm64)");
            }
            out.add(platform);
        }
        return out;
    }

    private <E extends Enum<E>> E parseEnum(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": '" + value
                    + "' is not one of " + String.join(", ", names));
        }
    }
}
