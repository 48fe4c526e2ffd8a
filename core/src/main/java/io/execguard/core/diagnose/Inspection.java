package io.execguard.core.diagnose;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.inspect.ElfHeader;
import io.execguard.core.inspect.ShebangLine;
import io.execguard.core.platform.BinfmtEntry;
import io.execguard.core.platform.CompatSupport;
import io.execguard.core.platform.Credentials;
import io.execguard.core.platform.HostFacts;
import io.execguard.core.platform.KernelAbi;
import io.execguard.core.platform.MountEntry;
import io.execguard.core.platform.MountTable;
import io.execguard.core.platform.Platform;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One diagnosis in progress: replays what execve does with a path - open checks, then binfmt_misc, ELF and script
 * handlers, recursing into interpreters the way the kernel's {@code exec_binprm} loop does - inside one file tree,
 * against one platform. Records every file it consulted, so a cache can tell when its answer went stale.
 */
final class Inspection {
    /** The kernel allows this many interpreter rewrites (#!, binfmt_misc) before failing with ELOOP. */
    static final int MAX_REWRITES = 5;
    /** How many {@code env X} hops (each a fresh execve) we follow before calling it a loop. */
    static final int MAX_ENV_HOPS = 8;

    private final FileTree tree;
    private final Platform platform;
    private final Optional<KernelAbi> abi;
    private final HostFacts facts;
    private final boolean hostFactsApply;
    private final MountTables mountTables;
    private final String cwd;
    private final String searchPath;
    private final Credentials credentials;
    private final List<Consulted> consulted = new ArrayList<>();
    private int envHops;

    /** A file the inspection looked up, with what it saw, for cache validation. */
    static final class Consulted {
        final String path;
        final String cwd;
        final Lookup lookup;

        Consulted(String path, String cwd, Lookup lookup) {
            this.path = path;
            this.cwd = cwd;
            this.lookup = lookup;
        }
    }

    Inspection(FileTree tree, Platform platform, HostFacts facts, MountTables mountTables, String cwd,
               String searchPath, Optional<Credentials> credentials) {
        this.tree = tree;
        this.platform = platform;
        this.abi = KernelAbi.of(platform);
        this.facts = facts;
        this.hostFactsApply = tree.live() && platform.matches(facts.platform());
        this.mountTables = mountTables;
        this.cwd = cwd;
        this.searchPath = searchPath;
        this.credentials = credentials.orElse(hostFactsApply ? facts.credentials() : Credentials.privileged());
    }

    FileTree tree() {
        return tree;
    }

    Platform platform() {
        return platform;
    }

    Optional<KernelAbi> abi() {
        return abi;
    }

    String cwd() {
        return cwd;
    }

    String searchPath() {
        return searchPath;
    }

    boolean hostFactsApply() {
        return hostFactsApply;
    }

    List<Consulted> consulted() {
        return Collections.unmodifiableList(consulted);
    }

    /** Compat support: the host's when host facts apply, otherwise assumed on (the kernel default). */
    CompatSupport compat() {
        return hostFactsApply ? facts.compat()
                : CompatSupport.of(true, "assumed: the kernel default for " + platform);
    }

    boolean countEnvHop() {
        return ++envHops <= MAX_ENV_HOPS;
    }

    Lookup lookup(String path) {
        Lookup l = tree.lookup(path, cwd);
        consulted.add(new Consulted(path, cwd, l));
        return l;
    }

    /**
     * What execve does with {@code path} at rewrite depth {@code depth} (0 for the file asked about): open checks,
     * then the handlers.
     */
    Verdict examine(String path, int depth) {
        Lookup lookup = lookup(path);
        Verdict refused = OpenChecks.check(this, path, lookup);
        if (refused != null) {
            return refused;
        }
        if (depth > MAX_REWRITES) {
            return Verdict.of(Cause.SHEBANG_LOOP, path + " would be interpreter number " + depth
                    + " in a chain of #! or binfmt_misc interpreters; the kernel stops after " + MAX_REWRITES + ".")
                    .resolvedPath(lookup.resolvedPath());
        }
        try (OpenedFile file = tree.open(lookup)) {
            BoundedReader reader = BoundedReader.open(file);
            Verdict v = examineContent(path, lookup, reader, depth);
            return v.resolvedPath(lookup.resolvedPath());
        } catch (NoSuchFileException e) {
            return Verdict.of(Cause.NOT_FOUND, path + " disappeared while it was being inspected.")
                    .resolvedPath(lookup.resolvedPath());
        } catch (IOException e) {
            return unreadable(path, lookup, e);
        }
    }

    private Verdict examineContent(String path, Lookup lookup, BoundedReader reader, int depth) throws IOException {
        byte[] buffer = reader.kernelBuffer();
        if (hostFactsApply) {
            Optional<BinfmtEntry> handler = facts.binfmt().match(buffer, path);
            if (handler.isPresent()) {
                return BinfmtCheck.check(this, path, reader, handler.get(), depth);
            }
        }
        if (ElfHeader.hasMagic(buffer)) {
            return ElfCheck.check(this, path, reader);
        }
        ShebangLine shebang = ShebangLine.parse(buffer);
        if (shebang.isScript()) {
            return ScriptCheck.check(this, path, shebang, depth);
        }
        return ContentCheck.check(path, reader);
    }

    private static Verdict unreadable(String path, Lookup lookup, IOException e) {
        if (e instanceof BoundedReader.ReadBudgetExceededException) {
            return Verdict.of(Cause.UNKNOWN_FORMAT, path + " would need more than " + BoundedReader.MAX_BYTES
                            + " bytes of headers to judge; execguard reads no more than that of any file.")
                    .errno(null).runnable(false)
                    .remediation("Check the file with readelf -lh; its headers are unusually large or hostile.")
                    .resolvedPath(lookup.resolvedPath());
        }
        String why = e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        return Verdict.of(Cause.UNKNOWN_FORMAT, path + " cannot be read by execguard (" + why
                        + "), so its format is unknown; the kernel may still execute it.")
                .errno(null).runnable(false)
                .remediation("Run execguard with permission to read the file (the kernel needs only the execute bit).")
                .resolvedPath(lookup.resolvedPath());
    }

    /** The mount {@code attributes} lives on, when mounts apply to this tree and platform. */
    Optional<MountEntry> mountOf(String resolvedPath, FileAttributes attributes) {
        if (!hostFactsApply || tree.mountInfoPath().isEmpty()) {
            return Optional.empty();
        }
        MountTable table = mountTables.forDevice(tree.mountInfoPath().get(), attributes.device());
        return table.find(resolvedPath, attributes.device());
    }

    /** Whether execve's permission check passes for a regular file. */
    boolean mayExecute(FileAttributes a) {
        return credentials.mayExecute(a.mode(), a.uid(), a.gid());
    }

    /**
     * The first directory on {@code resolvedPath} that the credentials may not search, for unprivileged callers
     * (the tree itself is walked with execguard's own, usually greater, rights). Directories reached only through
     * symlinks before resolution are not checked.
     */
    Optional<String> unsearchableDirectory(String resolvedPath) {
        if (credentials.dacOverride()) {
            return Optional.empty();
        }
        int slash = 0;
        while ((slash = resolvedPath.indexOf('/', slash + 1)) > 0) {
            String dir = resolvedPath.substring(0, slash);
            Lookup l = tree.lookup(dir, "/");
            if (l.isFound()) {
                FileAttributes a = l.attributes().orElseThrow();
                if (!credentials.mayExecute(a.mode(), a.uid(), a.gid())) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    /** True when the permission check only needs one execute bit (CAP_DAC_OVERRIDE). */
    boolean privileged() {
        return credentials.dacOverride();
    }

    static boolean isRegular(FileAttributes a) {
        return a.type() == FileType.REGULAR;
    }
}
