package io.execguard.sidecar.explain;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.platform.Platform;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code execguard explain}: says, for each file, whether it will execute here and if not, exactly why. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Explains, for each FILE, whether execve will run it on the target platform and, if not, why and what "
                + "to do - the kernel's exact errno included (ENOEXEC, ENOENT, EACCES, ...).",
            "",
            "Files are only read (a bounded prefix, never more than 64 KiB each) and never executed. Relative "
                + "paths resolve against the current directory, or against the root of --root."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file is runnable",
            "1:at least one file will not run",
            "2:usage error (bad option or platform, unreadable --files-from, no files)"
        })
public final class ExplainCommand implements Callable<Integer> {
    private static final int BATCH = 512;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per line per file, with Elastic Common Schema names.")
    private boolean json;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform the files must run on, e.g. linux/arm64 (default: this host). Host-only "
                    + "facts (binfmt_misc handlers, mounts, compat support) apply only to the host's platform.")
    private String platform;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Treat DIR as the root file system: symlinks, loaders and interpreters resolve inside it.")
    private Path root;

    @Option(names = "--files-from", paramLabel = "FILE",
            description = "Also explain the paths listed in FILE, one per line ('-' reads standard input).")
    private String filesFrom;

    @Option(names = "--search-path", paramLabel = "PATH",
            description = "The PATH that '#!/usr/bin/env NAME' searches (default: $PATH, or the standard PATH with "
                    + "--root).")
    private String searchPath;

    @Option(names = "--threads", paramLabel = "N",
            description = "Files explained in parallel (default: the number of processors).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "The files to explain.")
    private List<String> files = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Platform target = parsePlatform();
        FileTree tree = tree();
        List<String> paths = paths();
        if (paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no FILE given (and no --files-from)");
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        DiagnosisEngine engine = DiagnosisEngine.forHost();
        String cwd = root == null ? System.getProperty("user.dir") : "/";
        String path = searchPath != null ? searchPath
                : root == null && System.getenv("PATH") != null ? System.getenv("PATH") : DiagnosisRequest.DEFAULT_PATH;
        ExplainRequests requests = new ExplainRequests(tree, target, cwd, path);
        Writer out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
        DiagnosisFormat format = json ? new JsonLinesFormat(out, engine.hostFacts().platform())
                : new HumanFormat(out);
        boolean allRunnable = explainAll(engine, requests, paths, format);
        format.finish();
        out.flush();
        return allRunnable ? 0 : 1;
    }

    private Platform parsePlatform() {
        if (platform == null) {
            return null;
        }
        Platform p;
        try {
            p = Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!p.os().equals("linux")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--platform " + platform
                    + " is not a Linux platform; explain predicts what Linux's execve does (e.g. linux/arm64)");
        }
        return p;
    }

    private FileTree tree() {
        if (root == null) {
            return HostFileTree.root();
        }
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--root " + root + " is not a directory");
        }
        return HostFileTree.of(root);
    }

    private List<String> paths() throws IOException {
        List<String> all = new ArrayList<>(files);
        if (filesFrom != null) {
            try (BufferedReader r = filesFrom.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(filesFrom), StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isEmpty()) {
                        all.add(line);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--files-from " + filesFrom + " does not exist");
            }
        }
        return all;
    }

    /** Explains in parallel batches, writing results in input order as each batch completes. */
    private boolean explainAll(DiagnosisEngine engine, ExplainRequests requests, List<String> paths,
                               DiagnosisFormat format) throws IOException {
        boolean allRunnable = true;
        if (threads == 1 || paths.size() < 8) {
            for (String p : paths) {
                Diagnosis d = engine.diagnose(requests.of(p));
                allRunnable &= d.runnable();
                format.write(d);
            }
            return allRunnable;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "explain");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int start = 0; start < paths.size(); start += BATCH) {
                List<Future<Diagnosis>> batch = new ArrayList<>(BATCH);
                for (String p : paths.subList(start, Math.min(paths.size(), start + BATCH))) {
                    batch.add(pool.submit(() -> engine.diagnose(requests.of(p))));
                }
                for (Future<Diagnosis> f : batch) {
                    Diagnosis d = get(f);
                    allRunnable &= d.runnable();
                    format.write(d);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return allRunnable;
    }

    private static Diagnosis get(Future<Diagnosis> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException) {
                throw (UncheckedIOException) c;
            }
            throw new IllegalStateException(String.valueOf(c), c);
        }
    }

    /** Builds one request per path with the command's shared settings. */
    private static final class ExplainRequests {
        private final FileTree tree;
        private final Platform platform;
        private final String cwd;
        private final String searchPath;

        ExplainRequests(FileTree tree, Platform platform, String cwd, String searchPath) {
            this.tree = tree;
            this.platform = platform;
            this.cwd = cwd;
            this.searchPath = searchPath;
        }

        DiagnosisRequest of(String path) {
            return DiagnosisRequest.builder(path).tree(tree).platform(platform).cwd(cwd).searchPath(searchPath)
                    .build();
        }
    }
}
