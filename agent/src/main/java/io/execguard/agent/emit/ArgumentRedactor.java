package io.execguard.agent.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hides secrets in a command line before it is logged: values of options and assignments named like passwords,
 * tokens, secrets and keys ({@code --password=x}, {@code -p x}, {@code token=x}, {@code DB_PASSWORD=x}),
 * {@code Authorization:} header values, passwords in URLs ({@code user:pass@host}) and AWS-style access keys.
 */
final class ArgumentRedactor {
    static final String MASK = "[REDACTED]";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass(word|wd)?|secret|token|api[-_]?key|credential|private[-_]?key|auth)$");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]+):[^/@\\s]+@");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)^((proxy-)?authorization:\\s*).+");

    private ArgumentRedactor() {
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
            out.add(redactOne(a));
            maskNext = isSecretFlag(a);
        }
        return out;
    }

    private static boolean isSecretFlag(String a) {
        if (!a.startsWith("-") || a.contains("=")) {
            return false;
        }
        String name = a.replaceFirst("^-+", "");
        return "p".equals(name) || SECRET_NAME.matcher(name).matches();
    }

    private static String redactOne(String a) {
        int eq = a.indexOf('=');
        if (eq > 0 && SECRET_NAME.matcher(a.substring(0, eq).replaceFirst("^-+", "").toLowerCase(Locale.ROOT))
                .matches()) {
            return a.substring(0, eq + 1) + MASK;
        }
        String r = AUTHORIZATION.matcher(a).replaceAll("$1" + MASK);
        r = URL_PASSWORD.matcher(r).replaceAll("$1:" + MASK + "@");
        return AWS_KEY.matcher(r).replaceAll(MASK);
    }
}
