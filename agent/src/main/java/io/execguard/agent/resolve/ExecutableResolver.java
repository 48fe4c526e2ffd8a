package io.execguard.agent.resolve;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Finds the file a child process will execute for {@code cmdarray[0]}, the way the JDK's child code does it: a name
 * containing {@code /} is taken as is, relative to the child's working directory; a bare name is searched in the
 * <em>parent's</em> PATH (the JVM's, read once when the JDK starts processes, not the ProcessBuilder's environment),
 * where an empty entry means the working directory. Like {@code execvp}, the search skips entries where the name
 * does not exist and remembers one that exists but cannot be executed, in case nothing better comes.
 */
public final class ExecutableResolver {
    /** The JDK's search path when PATH is unset (childproc.c). */
    static final String JDK_DEFAULT_PATH = ":/bin:/usr/bin";

    private final List<String> path;
    private final Path jvmWorkingDirectory;

    private ExecutableResolver(List<String> path, Path jvmWorkingDirectory) {
        this.path = path;
        this.jvmWorkingDirectory = jvmWorkingDirectory;
    }

    /** A resolver for this JVM: its PATH variable and its working directory. */
    public static ExecutableResolver forThisJvm() {
        return of(System.getenv("PATH"), Path.of("").toAbsolutePath());
    }

    /** A resolver for an explicit PATH value (null: unset) and JVM working directory. */
    public static ExecutableResolver of(String pathVariable, Path jvmWorkingDirectory) {
        String value = pathVariable == null ? JDK_DEFAULT_PATH : pathVariable;
        List<String> entries = new ArrayList<>();
        Collections.addAll(entries, value.split(":", -1));
        return new ExecutableResolver(Collections.unmodifiableList(entries), jvmWorkingDirectory);
    }

    /** The working directory the child starts in: {@code dir} resolved against the JVM's, or the JVM's own. */
    public Path childWorkingDirectory(String dir) {
        return dir == null ? jvmWorkingDirectory : jvmWorkingDirectory.resolve(dir).normalize();
    }

    /**
     * The absolute path the child will try to execute for {@code command} started in {@code dir} (null: the JVM's
     * working directory); empty when the name is found nowhere.
     */
    public Optional<Path> resolve(String command, String dir) {
        if (command == null || command.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path cwd = childWorkingDirectory(dir);
            if (command.indexOf('/') >= 0) {
                return Optional.of(cwd.resolve(command).normalize());
            }
            return search(command, cwd);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Uses java.io.File on purpose: one stat per entry and no exception for the many names that are absent. */
    private Optional<Path> search(String name, Path cwd) {
        File notExecutable = null;
        for (String entry : path) {
            File candidate = new File(entry.isEmpty() ? cwd.toString() : cwd.resolve(entry).toString(), name);
            if (!candidate.exists()) {
                continue;
            }
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate.toPath().normalize());
            }
            if (notExecutable == null) {
                notExecutable = candidate;
            }
        }
        return notExecutable == null ? Optional.empty() : Optional.of(notExecutable.toPath().normalize());
    }
}
