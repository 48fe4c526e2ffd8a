package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.platform.Platform;
import io.execguard.sidecar.scan.image.CapturePolicy;
import io.execguard.sidecar.scan.image.ImageArchive;
import io.execguard.sidecar.scan.image.ImageConfig;
import io.execguard.sidecar.scan.image.ImageFileTree;
import io.execguard.sidecar.scan.image.ImageFormatException;
import io.execguard.sidecar.scan.image.ImageManifest;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs a scan: finds the executables of a directory or image, follows an image's ENTRYPOINT/CMD chain, has the
 * core engine diagnose each file against each target platform, and turns what would not run into findings.
 */
public final class Scanner {
    /** Diagnoses one file: the core engine in production ({@code DiagnosisEngine.forHost()::diagnose}). */
    @FunctionalInterface
    public interface Diagnoser {
        Diagnosis diagnose(DiagnosisRequest request);
    }

    private final Diagnoser diagnoser;
    private final IgnoreRules ignore;
    private final Progress progress;

    public Scanner(Diagnoser diagnoser, IgnoreRules ignore) {
        this(diagnoser, ignore, Progress.NONE);
    }

    Scanner(Diagnoser diagnoser, IgnoreRules ignore, Progress progress) {
        this.diagnoser = diagnoser;
        this.ignore = ignore;
        this.progress = progress;
    }

    /**
     * Scans {@code dir} as a root file system: every regular file with an execute bit, against each target.
     *
     * @throws IOException when {@code dir} itself cannot be read
     */
    public ScanReport scanDirectory(Path dir, List<Platform> targets) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        FileTree tree = HostFileTree.of(root);
        int[] unreadable = {0};
        Map<String, FileAttributes> found = executablesIn(root, unreadable);
        List<String> executables = new ArrayList<>(found.keySet());
        Collector collector = new Collector();
        List<ScanReport.Unit> units = new ArrayList<>();
        for (Platform target : targets) {
            List<Diagnosis> ds = diagnoseAll(tree, executables, target, "/", DiagnosisRequest.DEFAULT_PATH);
            for (Diagnosis d : ds) {
                if (Severity.isFinding(d)) {
                    collector.add(Finding.builder(dir.toString(), Finding.Kind.EXECUTABLE, d.path(), d,
                            Severity.of(d, false)).attributes(found.get(d.path())).build());
                }
            }
            units.add(new ScanReport.Unit(dir.toString(), "directory", target, null, Collections.emptyList(),
                    executables.size(), 0, unreadable[0]));
        }
        return new ScanReport(dir.toString(), units, collector.findings, collector.ignored);
    }

    /**
     * Scans the images of {@code archive}. With no {@code requested} platforms each manifest is judged against its
     * own platform (else the host's); otherwise each requested platform against the manifest for it, or against
     * the only manifest of a single-platform image.
     */
    public ScanReport scanImage(ImageArchive archive, String input, List<Platform> requested)
            throws ImageFormatException {
        Map<ImageManifest, List<Platform>> plan = new LinkedHashMap<>();
        Collector collector = new Collector();
        for (ImageManifest m : archive.manifests()) {
            if (requested.isEmpty()) {
                Platform own = m.platform().orElse(Platform.host());
                if (!own.os().equals("linux")) {
                    throw new ImageFormatException(m.name() + " is a " + own + " image, and scan predicts what "
                            + "Linux's execve does: pass --platform linux/ARCH to judge it for a Linux platform");
                }
                plan.computeIfAbsent(m, k -> new ArrayList<>()).add(own);
            }
        }
        for (Platform p : requested) {
            ImageManifest m = manifestFor(archive.manifests(), p);
            if (m != null) {
                plan.computeIfAbsent(m, k -> new ArrayList<>()).add(p);
            } else {
                collector.add(noManifestFinding(archive, input, p));
            }
        }
        List<ScanReport.Unit> units = new ArrayList<>();
        for (Map.Entry<ImageManifest, List<Platform>> e : plan.entrySet()) {
            scanManifest(archive, e.getKey(), e.getValue(), collector, units);
        }
        return new ScanReport(input, units, collector.findings, collector.ignored);
    }

    private static ImageManifest manifestFor(List<ImageManifest> manifests, Platform p) {
        for (ImageManifest m : manifests) {
            if (m.platform().map(mp -> mp.matches(p)).orElse(false)) {
                return m;
            }
        }
        return manifests.size() == 1 ? manifests.get(0) : null;
    }

    private void scanManifest(ImageArchive archive, ImageManifest manifest, List<Platform> targets,
                              Collector collector, List<ScanReport.Unit> units) throws ImageFormatException {
        ImageFileTree tree = readTree(archive, manifest);
        ImageLibc libc = ImageLibc.of(tree);
        List<EntrypointChain.Link> chain = EntrypointChain.follow(tree, manifest.config());
        List<String> chainText = chain.stream().map(EntrypointChain.Link::toString).collect(Collectors.toList());
        for (int i = 0; i < targets.size(); i++) {
            Platform target = targets.get(i);
            List<Diagnosis> all = new ArrayList<>();
            Set<String> inChain = scanChain(manifest, tree, libc, chain, target, collector, all);
            List<String> executables = executablesIn(tree).stream().filter(p -> !inChain.contains(p))
                    .collect(Collectors.toList());
            scanExecutables(manifest, tree, libc, executables, target, collector, all);
            if (i == 0) {
                // ELF platforms do not depend on the target: judge the declared platform once per image.
                declaredPlatformFinding(manifest, target, all).ifPresent(collector::add);
            }
            units.add(new ScanReport.Unit(manifest.name(), archive.format(), target, libc.toString(), chainText,
                    chain.size() + executables.size(), tree.capturedBytes(), 0));
        }
    }

    private ImageFileTree readTree(ImageArchive archive, ImageManifest manifest) throws ImageFormatException {
        Set<String> names = new HashSet<>();
        for (String word : manifest.config().command()) {
            names.add(EntrypointChain.baseName(word));
        }
        progress.startBytes("reading the layers of " + manifest.name());
        try {
            return archive.tree(manifest, CapturePolicy.withEntrypointNames(names), progress::set);
        } finally {
            progress.finish();
        }
    }

    /** Diagnoses the chain's links in order; returns the resolved paths it covered. */
    private Set<String> scanChain(ImageManifest manifest, ImageFileTree tree, ImageLibc libc,
                                  List<EntrypointChain.Link> chain, Platform target, Collector collector,
                                  List<Diagnosis> all) {
        ImageConfig config = manifest.config();
        Set<String> covered = new HashSet<>();
        for (EntrypointChain.Link link : chain) {
            Diagnosis d = refineForLibc(diagnose(tree, link.path, target, config.workingDir(), config.searchPath()),
                    libc);
            all.add(d);
            covered.add(d.resolvedPath().orElse(link.path));
            if (Severity.isFinding(d)) {
                collector.add(Finding.builder(manifest.name(), Finding.Kind.ENTRYPOINT, link.path, d,
                        Severity.of(d, true)).role(link.role, link.position)
                        .attributes(attributesOf(tree, link.path)).imageLibc(libc.flavour()).build());
            }
        }
        return covered;
    }

    private void scanExecutables(ImageManifest manifest, ImageFileTree tree, ImageLibc libc, List<String> paths,
                                 Platform target, Collector collector, List<Diagnosis> all) {
        for (Diagnosis d : diagnoseAll(tree, paths, target, "/", manifest.config().searchPath())) {
            Diagnosis refined = refineForLibc(d, libc);
            all.add(refined);
            if (Severity.isFinding(refined)) {
                collector.add(Finding.builder(manifest.name(), Finding.Kind.EXECUTABLE, d.path(), refined,
                        Severity.of(refined, false)).attributes(attributesOf(tree, d.path()))
                        .imageLibc(libc.flavour()).build());
            }
        }
    }

    /** An image that declares one platform but whose ELF executables are mostly for another. */
    private static Optional<Finding> declaredPlatformFinding(ImageManifest manifest, Platform target,
                                                             List<Diagnosis> diagnoses) {
        if (manifest.platform().isEmpty()) {
            return Optional.empty();
        }
        Platform declared = manifest.platform().get();
        Map<String, Integer> byPlatform = new TreeMap<>();
        int total = 0;
        int matching = 0;
        for (Diagnosis d : diagnoses) {
            String p = d.evidence().group(Evidence.ELF).flatMap(e -> e.string("platform")).orElse(null);
            if (p == null) {
                continue;
            }
            total++;
            byPlatform.merge(p, 1, Integer::sum);
            try {
                if (Platform.parse(p).matches(declared)) {
                    matching++;
                }
            } catch (IllegalArgumentException notAPlatform) {
                // An ELF the engine could not map to an OCI platform counts as not matching.
            }
        }
        if (total == 0 || matching * 2 >= total) {
            return Optional.empty();
        }
        Evidence.Builder counts = Evidence.builder();
        byPlatform.forEach((k, v) -> counts.put(k, (long) v));
        Diagnosis d = Diagnosis.builder(manifest.name(), Cause.ARCH_MISMATCH, target)
                .summary("The image declares " + declared + " but " + (total - matching) + " of its " + total
                        + " ELF executables are built for other platforms (" + byPlatform + ").")
                .remediation("Rebuild the image so that its binaries match its platform (docker buildx build "
                        + "--platform " + declared + "; in multi-stage builds copy from a stage of the same "
                        + "platform, and set GOARCH/TARGETARCH for cross-compiled binaries).")
                .evidence(Evidence.builder().put("declared_platform", declared.toString())
                        .put("elf_platforms", counts.build()).build())
                .build();
        return Optional.of(Finding.builder(manifest.name(), Finding.Kind.IMAGE, manifest.name(), d,
                Severity.CRITICAL).build());
    }

    private static Finding noManifestFinding(ImageArchive archive, String input, Platform p) {
        List<String> have = archive.manifests().stream()
                .map(m -> m.platform().map(Platform::toString).orElse("unknown")).collect(Collectors.toList());
        Diagnosis d = Diagnosis.builder(input, Cause.ARCH_MISMATCH, p)
                .summary("The image has no manifest for " + p + " (it has " + String.join(", ", have) + ").")
                .remediation("Build and push the image for " + p + " too (docker buildx build --platform "
                        + p + "), or do not schedule it on " + p + " nodes.")
                .evidence(Evidence.builder().put("available_platforms", new ArrayList<Object>(have)).build())
                .build();
        return Finding.builder(input, Finding.Kind.IMAGE, input, d, Severity.CRITICAL).build();
    }

    /** A glibc binary in a musl image (or the reverse) gets a summary and remediation that say so. */
    static Diagnosis refineForLibc(Diagnosis d, ImageLibc libc) {
        if (d.cause() != Cause.ELF_INTERPRETER_MISSING || ImageLibc.NONE.equals(libc.flavour())) {
            return d;
        }
        Optional<Evidence> elf = d.evidence().group(Evidence.ELF);
        String binaryLibc = elf.flatMap(e -> e.string("libc")).orElse("");
        if (!libc.lacks(binaryLibc)) {
            return d;
        }
        String loader = elf.flatMap(e -> e.string("interpreter")).orElse("its loader");
        String fix = ImageLibc.GLIBC.equals(binaryLibc)
                ? "Install a musl or static build of the program (e.g. the distribution's package), add glibc "
                + "compatibility (apk add gcompat), or base the image on a glibc distribution."
                : "Install a glibc or static build of the program, or base the image on a musl distribution.";
        return d.toBuilder()
                .summary("A " + binaryLibc + " binary in a " + libc.flavour() + " image: its loader " + loader
                        + " does not exist here (the image has " + String.join(", ", libc.loaders()) + ").")
                .remediation(fix)
                .build();
    }

    private Diagnosis diagnose(FileTree tree, String path, Platform target, String cwd, String searchPath) {
        return diagnoser.diagnose(DiagnosisRequest.builder(path).cwd(cwd).tree(tree).platform(target)
                .searchPath(searchPath).build());
    }

    private List<Diagnosis> diagnoseAll(FileTree tree, List<String> paths, Platform target, String cwd,
                                        String searchPath) {
        progress.start("diagnosing for " + target, paths.size());
        try {
            return paths.parallelStream().map(p -> {
                Diagnosis d = diagnose(tree, p, target, cwd, searchPath);
                progress.advance();
                return d;
            }).collect(Collectors.toList());
        } finally {
            progress.finish();
        }
    }

    private static FileAttributes attributesOf(FileTree tree, String path) {
        return tree.lookup(path, "/").attributes().orElse(null);
    }

    /** Regular files with any execute bit in an image, in path order. */
    static List<String> executablesIn(ImageFileTree tree) {
        List<String> out = new ArrayList<>();
        tree.walk((path, a) -> {
            if (a.type() == FileType.REGULAR && a.anyExecuteBit()) {
                out.add(path);
            }
        });
        return out;
    }

    /**
     * Regular files with any execute bit below {@code dir}, by absolute path inside it, with their attributes.
     * One {@code lstat} per entry (its mode decides), one more per executable; symlinks are not followed and
     * unreadable directories or entries are counted, not fatal.
     */
    static Map<String, FileAttributes> executablesIn(Path dir, int[] unreadable) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            throw new IOException("cannot read the directory " + dir);
        }
        Map<String, FileAttributes> out = new TreeMap<>();
        Deque<Path> todo = new ArrayDeque<>();
        todo.push(dir);
        while (!todo.isEmpty()) {
            Path current = todo.pop();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(current)) {
                for (Path entry : entries) {
                    classify(dir, entry, todo, out, unreadable);
                }
            } catch (IOException | DirectoryIteratorException e) {
                unreadable[0]++;
            }
        }
        return out;
    }

    private static void classify(Path root, Path entry, Deque<Path> todo, Map<String, FileAttributes> out,
                                 int[] unreadable) {
        try {
            int mode = (Integer) Files.getAttribute(entry, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = mode & 0170000;
            if (type == 0040000) {
                todo.push(entry);
            } else if (type == 0100000 && (mode & 0111) != 0) {
                out.put("/" + root.relativize(entry), unixAttributes(entry));
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            unreadable[0]++;
        }
    }

    private static FileAttributes unixAttributes(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,gid,ino,dev,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        return new FileAttributes(FileType.REGULAR, (Integer) a.get("mode"), (Long) a.get("size"),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("dev"), (Long) a.get("ino"),
                ((FileTime) a.get("lastModifiedTime")).toMillis() * 1_000_000L);
    }

    /** Keeps findings, minus the known exceptions of {@code --ignore}. */
    private final class Collector {
        final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        int ignored;

        void add(Finding f) {
            if (ignore.ignores(f.path())) {
                ignored++;
            } else {
                findings.add(f);
            }
        }
    }
}
