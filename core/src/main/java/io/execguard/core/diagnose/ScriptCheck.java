package io.execguard.core.diagnose;

import io.execguard.core.fs.Lookup;
import io.execguard.core.inspect.ShebangLine;
import java.util.Optional;

/**
 * What the kernel's {@code load_script} does with a {@code #!} file, then what happens to the interpreter it names
 * (one rewrite deeper), and for {@code #!/usr/bin/env X} whether env finds X on the search path.
 */
final class ScriptCheck {
    private ScriptCheck() {
    }

    static Verdict check(Inspection in, String path, ShebangLine line, int depth) {
        Evidence.Builder script = Evidence.builder().put("shebang", line.escapedLine());
        line.interpreter().ifPresent(i -> script.put("interpreter", ShebangLine.escape(i)));
        line.argument().ifPresent(a -> script.put("arguments", ShebangLine.escape(a)));
        Verdict v = verdict(in, path, line, depth, script);
        return v.evidence("script", script.build());
    }

    private static Verdict verdict(Inspection in, String path, ShebangLine line, int depth, Evidence.Builder script) {
        switch (line.status()) {
            case EMPTY:
                return Verdict.of(Cause.SHEBANG_EMPTY, path + " starts with #! but names no interpreter.");
            case TOO_LONG:
                return Verdict.of(Cause.SHEBANG_TOO_LONG, path + " has a #! line whose interpreter path runs past "
                        + "the 256 bytes the kernel reads, so the path would be cut short.");
            default:
                break;
        }
        String interpreter = line.interpreter().orElse("");
        if (interpreter.isEmpty()) {
            // "#!" then blanks up to a NUL (no newline): the kernel opens the empty path, which an in-kernel lookup
            // resolves to the working directory - a directory, so EACCES (seen on Linux 6.18).
            return Verdict.of(Cause.SHEBANG_EMPTY, path + " starts with #! but names no interpreter.")
                    .errno(Errno.EACCES);
        }
        Verdict nested = in.examine(interpreter, depth + 1);
        if (!nested.isRunnable()) {
            return interpreterFails(path, line, interpreter, nested);
        }
        script.put("resolved_interpreter", nested.resolvedPath().orElse(interpreter));
        if (line.argumentEndsWithCr()) {
            return Verdict.of(Cause.SHEBANG_CRLF, path + " has Windows (CRLF) line endings: " + interpreter
                    + " starts but receives the argument \"" + ShebangLine.escape(line.argument().orElse(""))
                    + "\" with a trailing carriage return.").errno(null).runnable(false);
        }
        if (isEnv(interpreter) && line.argument().isPresent()) {
            Optional<String> program = EnvCommand.program(line.argument().get());
            if (program.isPresent()) {
                return env(in, path, program.get(), script);
            }
        }
        return runs(in, path, interpreter, nested);
    }

    private static Verdict runs(Inspection in, String path, String interpreter, Verdict nested) {
        Cause cause = nested.cause() == Cause.EMULATED ? Cause.EMULATED : Cause.OK;
        return Verdict.of(cause, path + " is a script for " + interpreter + ", which "
                + (cause == Cause.EMULATED ? "runs through a binfmt_misc emulator" : "runs") + " on "
                + in.platform() + ".");
    }

    private static Verdict interpreterFails(String path, ShebangLine line, String interpreter, Verdict nested) {
        String shown = ShebangLine.escape(interpreter);
        Verdict v;
        switch (nested.cause()) {
            case NOT_FOUND:
                if (line.interpreterEndsWithCr()) {
                    v = Verdict.of(Cause.SHEBANG_CRLF, path + " has Windows (CRLF) line endings: the kernel looks "
                            + "for the interpreter \"" + shown + "\", carriage return included, which does not exist.");
                } else {
                    v = Verdict.of(Cause.SHEBANG_INTERPRETER_MISSING, path + " names the interpreter " + shown
                            + " on its #! line, which does not exist here.");
                }
                break;
            case IS_DIRECTORY:
            case NOT_REGULAR_FILE:
            case NO_EXECUTE_PERMISSION:
            case NOEXEC_MOUNT:
                v = Verdict.of(Cause.SHEBANG_INTERPRETER_NOT_EXECUTABLE, path + " names the interpreter " + shown
                        + ", which cannot be executed: " + nested.summary());
                break;
            case SHEBANG_LOOP:
                v = Verdict.of(Cause.SHEBANG_LOOP, path + " starts a chain of #! interpreters deeper than the "
                        + "kernel allows (" + Inspection.MAX_REWRITES + " rewrites), or a loop, through " + shown + ".");
                break;
            default:
                v = Verdict.of(Cause.SHEBANG_INTERPRETER_INVALID, path + " names the interpreter " + shown
                        + ", which cannot run itself: " + nested.summary());
        }
        v.errno(nested.errno().orElse(null));
        return v.evidence("interpreter_diagnosis", nested.asNestedEvidence(interpreter));
    }

    private static boolean isEnv(String interpreter) {
        return interpreter.equals("env") || interpreter.endsWith("/env");
    }

    /** {@code env} runs: the script's execve succeeds, and whether the program starts depends on env's search. */
    private static Verdict env(Inspection in, String path, String program, Evidence.Builder script) {
        String shown = ShebangLine.escape(program);
        if (program.endsWith("\r")) {
            return Verdict.of(Cause.SHEBANG_CRLF, path + " has Windows (CRLF) line endings: env looks for a program "
                    + "called \"" + shown + "\", carriage return included, and finds none.").errno(null).runnable(false);
        }
        Optional<String> found = program.contains("/") ? Optional.of(program) : search(in, program);
        if (found.isEmpty()) {
            String spaces = program.contains(" ") ? " (without -S, env takes \"" + shown + "\" as ONE program name)"
                    : "";
            script.put("search_path", in.searchPath());
            return Verdict.of(Cause.SHEBANG_INTERPRETER_MISSING, path + " runs \"" + shown + "\" through env, and no "
                    + "such program is on PATH" + spaces + ".")
                    .errno(null).runnable(false)
                    .remediation(program.contains(" ") ? "Use #!/usr/bin/env -S " + program + ", or name the "
                            + "interpreter by its absolute path." : Cause.SHEBANG_INTERPRETER_MISSING.remediation());
        }
        script.put("resolved_interpreter", found.get());
        if (!in.countEnvHop()) {
            return Verdict.of(Cause.SHEBANG_LOOP, path + " runs " + found.get() + " through env, which leads back "
                    + "through env again and again.").errno(null).runnable(false);
        }
        // env's own execve is a fresh one: the kernel's rewrite count starts again at 0.
        Verdict target = in.examine(found.get(), 0);
        if (!target.isRunnable()) {
            return Verdict.of(Cause.SHEBANG_INTERPRETER_INVALID, path + " runs " + found.get() + " through env, "
                    + "which cannot run: " + target.summary()).errno(null).runnable(false)
                    .evidence("interpreter_diagnosis", target.asNestedEvidence(found.get()));
        }
        Cause cause = target.cause() == Cause.EMULATED ? Cause.EMULATED : Cause.OK;
        return Verdict.of(cause, path + " is a script for " + shown + " (found by env at " + found.get() + "), which "
                + "runs on " + in.platform() + ".");
    }

    /** The first PATH entry holding {@code program} as an executable regular file, like execvp. */
    private static Optional<String> search(Inspection in, String program) {
        for (String dir : in.searchPath().split(":", -1)) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + program;
            Lookup l = in.lookup(candidate);
            if (l.isFound() && Inspection.isRegular(l.attributes().orElseThrow())
                    && in.mayExecute(l.attributes().orElseThrow())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
