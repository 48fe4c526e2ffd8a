package io.execguard.sidecar.scan;

import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.sidecar.scan.image.ImageConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The programs a container start executes, in order: the ENTRYPOINT/CMD program (found on the image's PATH like
 * the runtime does), the {@code #!} interpreter of each script, the command of a shell-form {@code /bin/sh -c},
 * and the targets of a shell script's {@code exec} lines where they are literal paths or names. What is not
 * evident from the text ({@code exec "$@"}, variables) is not guessed.
 */
final class EntrypointChain {
    /** Bytes of a script read to find its {@code exec} lines. */
    static final int SCRIPT_BYTES = 64 * 1024;
    private static final int MAX_DEPTH = 8;
    private static final Set<String> SHELLS = new HashSet<>(Arrays.asList(
            "sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"));
    private static final Set<String> KEYWORDS = new HashSet<>(Arrays.asList(
            "then", "else", "do", "{", "(", "!", "elif", "if", "while", "until"));

    /** One program of the chain: the path to diagnose and how the chain reaches it. Immutable. */
    static final class Link {
        final String path;
        final String role;
        final int position;

        Link(String path, String role, int position) {
            this.path = path;
            this.role = role;
            this.position = position;
        }

        @Override
        public String toString() {
            return path + " (" + role + ")";
        }
    }

    private final FileTree tree;
    private final ImageConfig config;
    private final List<Link> links = new ArrayList<>();
    private final Set<String> visited = new LinkedHashSet<>();

    private EntrypointChain(FileTree tree, ImageConfig config) {
        this.tree = tree;
        this.config = config;
    }

    /** The chain of {@code config}'s command inside {@code tree}; empty when the image names no command. */
    static List<Link> follow(FileTree tree, ImageConfig config) {
        EntrypointChain c = new EntrypointChain(tree, config);
        List<String> argv = config.command();
        if (!argv.isEmpty()) {
            c.visit(argv, config.entrypoint().isEmpty() ? "CMD" : "ENTRYPOINT", 0);
        }
        return Collections.unmodifiableList(c.links);
    }

    private void visit(List<String> argv, String role, int depth) {
        if (depth > MAX_DEPTH || argv.isEmpty() || argv.get(0).isEmpty()) {
            return;
        }
        String program = locate(argv.get(0));
        if (!visited.add(program)) {
            return;
        }
        links.add(new Link(program, role, links.size()));
        if (SHELLS.contains(baseName(program)) && argv.size() > 2 && argv.get(1).equals("-c")) {
            List<String> command = firstCommand(argv.get(2));
            if (!command.isEmpty()) {
                visit(command, "command of " + program + " -c", depth + 1);
            }
        }
        String text = readScript(program);
        if (text == null || !text.startsWith("#!")) {
            return;
        }
        List<String> shebang = words(firstLine(text).substring(2));
        if (shebang.isEmpty()) {
            return;
        }
        String interpreter = shebang.get(0);
        if (baseName(interpreter).equals("env") && shebang.size() > 1) {
            String name = shebang.get(1).equals("-S") && shebang.size() > 2 ? shebang.get(2) : shebang.get(1);
            visit(Collections.singletonList(name), "interpreter (via env) of " + program, depth + 1);
            interpreter = name;
        } else {
            visit(Collections.singletonList(interpreter), "interpreter of " + program, depth + 1);
        }
        if (SHELLS.contains(baseName(interpreter))) {
            for (String target : execTargets(text)) {
                visit(Collections.singletonList(target), "exec'd by " + program, depth + 1);
            }
        }
    }

    /** Where the runtime finds {@code name}: as a path from the working directory, else on the image's PATH. */
    private String locate(String name) {
        if (name.contains("/")) {
            return name.startsWith("/") ? name : join(config.workingDir(), name);
        }
        for (String dir : config.searchPath().split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            String candidate = join(dir.startsWith("/") ? dir : join(config.workingDir(), dir), name);
            Lookup l = tree.lookup(candidate, "/");
            if (l.isFound() && l.attributes().map(a -> a.anyExecuteBit()).orElse(false)
                    && l.attributes().get().type() == io.execguard.core.fs.FileType.REGULAR) {
                return candidate;
            }
        }
        return name;
    }

    private String readScript(String path) {
        try (OpenedFile f = tree.open(path, config.workingDir())) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(SCRIPT_BYTES, Math.max(0, f.attributes().size())));
            while (buf.hasRemaining()) {
                int n = f.read(buf.position(), buf);
                if (n < 0) {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            // Partly captured, unreadable or missing: the engine's diagnosis of the link says what is wrong.
            return null;
        }
    }

    /** The literal targets of {@code exec PROGRAM ...} lines (options, assignments and redirections skipped). */
    static List<String> execTargets(String script) {
        List<String> targets = new ArrayList<>();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                continue;
            }
            for (String statement : line.split("&&|\\|\\||;")) {
                List<String> w = leadingWordsStripped(words(statement));
                if (w.isEmpty() || !w.get(0).equals("exec")) {
                    continue;
                }
                String target = firstProgram(w.subList(1, w.size()));
                if (target != null && !targets.contains(target)) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    /** The program word of the first simple command of a {@code sh -c} string, with {@code exec} skipped. */
    static List<String> firstCommand(String command) {
        String first = command.split("&&|\\|\\||;|\\||\n")[0];
        List<String> w = leadingWordsStripped(words(first));
        if (!w.isEmpty() && w.get(0).equals("exec")) {
            w = w.subList(1, w.size());
        }
        String program = firstProgram(w);
        return program == null ? Collections.emptyList() : Collections.singletonList(program);
    }

    /** Drops what may precede a command word: {@code then}, {@code do}, {@code {}, {@code !}, assignments. */
    private static List<String> leadingWordsStripped(List<String> words) {
        int i = 0;
        while (i < words.size() && (KEYWORDS.contains(words.get(i)) || isAssignment(words.get(i)))) {
            i++;
        }
        return words.subList(i, words.size());
    }

    private static boolean isAssignment(String word) {
        return word.matches("[A-Za-z_][A-Za-z0-9_]*=.*");
    }

    private static String firstProgram(List<String> words) {
        for (String word : words) {
            if (word.startsWith("-") || isAssignment(word) || word.startsWith(">")
                    || word.startsWith("<") || word.matches("[0-9]*[<>].*")) {
                continue;
            }
            String unquoted = unquote(word);
            if (unquoted.isEmpty() || unquoted.contains("$") || unquoted.contains("`") || unquoted.contains("*")) {
                return null;
            }
            return unquoted;
        }
        return null;
    }

    private static String unquote(String word) {
        String w = word;
        if (w.length() >= 2 && (w.startsWith("\"") && w.endsWith("\"") || w.startsWith("'") && w.endsWith("'"))) {
            w = w.substring(1, w.length() - 1);
        }
        return w;
    }

    /** Splits on blanks; a trailing carriage return (CRLF file) is not part of a word. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.replace("\r", "").trim().split("[ \t]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 256 ? line.substring(0, 256) : line;
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return (slash < 0 ? path : path.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }

    /** {@code dir/name} without {@code .} segments or doubled slashes ({@code ..} kept: symlinks decide it). */
    private static String join(String dir, String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : (dir + "/" + name).split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                sb.append('/').append(part);
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
