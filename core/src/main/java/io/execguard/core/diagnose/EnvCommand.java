package io.execguard.core.diagnose;

import java.util.Optional;

/**
 * The program {@code #!/usr/bin/env ARG} runs. The kernel passes everything after {@code env} as ONE argument, so
 * without {@code -S} the whole rest of the line, spaces included, is the program name ({@code #!/usr/bin/env python3 -u}
 * looks for a program called "python3 -u"); with {@code -S} (GNU coreutils, BusyBox) the argument is split on blanks,
 * and leading options and {@code NAME=VALUE} assignments are skipped.
 */
final class EnvCommand {
    private EnvCommand() {
    }

    /** The program name env looks up, or empty when the argument is only options (then env runs no program). */
    static Optional<String> program(String argument) {
        String arg = argument;
        if (arg.startsWith("-S") || arg.startsWith("--split-string")) {
            String rest = arg.startsWith("-S") ? arg.substring(2) : arg.substring("--split-string".length());
            if (rest.startsWith("=")) {
                rest = rest.substring(1);
            }
            return firstProgram(rest.trim().split("[ \\t]+"));
        }
        if (arg.isEmpty() || arg.startsWith("-") || arg.contains("=")) {
            return Optional.empty();
        }
        return Optional.of(arg);
    }

    private static Optional<String> firstProgram(String[] words) {
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.isEmpty() || w.contains("=")) {
                continue;
            }
            if (w.equals("-u") || w.equals("-C") || w.equals("--unset") || w.equals("--chdir")) {
                i++;
                continue;
            }
            if (w.startsWith("-")) {
                continue;
            }
            return Optional.of(w);
        }
        return Optional.empty();
    }
}
