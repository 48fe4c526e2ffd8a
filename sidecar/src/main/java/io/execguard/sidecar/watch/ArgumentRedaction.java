package io.execguard.sidecar.watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Removes secrets from a caller's arguments before they are written (proctitle carries whatever the caller
 * passed: {@code --password=...}, {@code -p secret}, tokens, credentials in URLs).
 */
public final class ArgumentRedaction {
    static final String MASK = "[REDACTED]";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|credential|auth).*");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)^(-{0,2}[A-Za-z0-9_.-]*(pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|credential)"
                    + "[A-Za-z0-9_.-]*[=:])(.+)$");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@:\\s]+:)[^/@\\s]+@");
    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)^(authorization:\\s*\\S+\\s+).+$");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b");

    private ArgumentRedaction() {
    }

    /** The standard redaction used for every event. */
    public static Function<List<String>, List<String>> standard() {
        return ArgumentRedaction::redact;
    }

    /**
     * {@code redaction} with a small per-caller memory: the same command lines fail again and again (crash
     * loops, logs), and pattern matching every argument dominates the cost of {@code audit read}. Not
     * thread-safe: one per thread.
     */
    public static Function<List<String>, List<String>> cached(Function<List<String>, List<String>> redaction) {
        Map<List<String>, List<String>> memory = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<List<String>, List<String>> eldest) {
                return size() > 1024;
            }
        };
        return args -> args.isEmpty() ? args : memory.computeIfAbsent(args, redaction);
    }

    static List<String> redact(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        boolean maskNext = false;
        for (String a : args) {
            if (maskNext) {
                out.add(MASK);
                maskNext = false;
                continue;
            }
            String r = URL_CREDENTIALS.matcher(a).replaceAll("$1" + MASK + "@");
            r = AWS_KEY.matcher(r).replaceAll(MASK);
            var kv = KEY_VALUE.matcher(r);
            if (kv.matches()) {
                r = kv.group(1) + MASK;
            }
            var auth = AUTH_HEADER.matcher(r);
            if (auth.matches()) {
                r = auth.group(1) + MASK;
            }
            if (r.equals("-p") || r.startsWith("--") && !r.contains("=") && SECRET_NAME.matcher(r).matches()) {
                maskNext = true;
            }
            out.add(r);
        }
        return out;
    }
}
