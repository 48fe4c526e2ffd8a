package io.execguard.core.redact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from argument lists and command lines before they are logged. Only the secret value is
 * replaced by {@value #MARK}; the flag, variable or header name stays so the event still says what was passed.
 *
 * <p>Rules (see {@code docs/events.md}):
 * <ol>
 *   <li>Flags whose last word names a secret - {@code password}, {@code passwd}, {@code pwd}, {@code pass},
 *       {@code secret}, {@code token}, {@code credential(s)}, {@code apikey}, or {@code api-key},
 *       {@code access-key}, {@code secret-key}, {@code private-key}, {@code auth-token} - in both forms
 *       {@code --password=VALUE} and {@code --password VALUE} (also single-dash {@code -password}).
 *       {@code --password-file}, {@code --token-path} and the like name a file, not a secret, and stay.</li>
 *   <li>Short flags only for programs where they mean a password, because elsewhere they mean something
 *       harmless ({@code mkdir -p}, {@code ssh -p 22}, {@code docker run -p 80:80}): {@code -p VALUE} and
 *       {@code -pVALUE} for mysql/mariadb clients, {@code -p VALUE} for sshpass, mongo/mongosh and
 *       {@code docker|podman|buildah|nerdctl|helm|skopeo|oras|crane ... login}, {@code -a VALUE} for redis-cli,
 *       {@code -u user:pass} and {@code --user user:pass} (password part) for curl.</li>
 *   <li>Inside any argument: assignments whose name ends in {@code _SECRET}, {@code _TOKEN}, {@code _PASSWORD},
 *       {@code _PASSWD}, {@code _KEY}, {@code _APIKEY}, {@code _CREDENTIALS} (any case; the value ends at
 *       whitespace, a quote, {@code &} or {@code ;}), and query-style
 *       {@code password=}, {@code passwd=}, {@code pwd=}, {@code secret=}, {@code token=},
 *       {@code access_token=}, {@code api_key=}, {@code apikey=} (value up to {@code &}, {@code ;}, space or
 *       quote).</li>
 *   <li>HTTP credentials: the value after {@code Authorization:}/{@code Proxy-Authorization:} (the scheme word
 *       {@code Bearer}/{@code Basic}/... is kept), {@code X-Api-Key:}, {@code X-Auth-Token:}, {@code Cookie:},
 *       and any {@code Bearer <token>}.</li>
 *   <li>URL user info: {@code scheme://user:pass@host} keeps the user, hides the password.</li>
 *   <li>Well-known token shapes: AWS access key ids ({@code AKIA...}, {@code ASIA...}, 20 characters), AWS-style
 *       secret keys (exactly 40 characters of {@code [A-Za-z0-9/+]} mixing upper case, lower case and digits,
 *       not starting with {@code /} - so hex SHA-1s and paths stay), GitHub ({@code ghp_}, {@code github_pat_}...),
 *       GitLab ({@code glpat-}), Slack ({@code xox?-}) tokens and JWTs ({@code eyJ...}).</li>
 * </ol>
 * Environment variables are never part of an event, so they need no rule here.
 *
 * <p>Thread-safe. The same texts come back again and again (a crash loop, a busy audit log) and matching every
 * rule costs tens of microseconds per text, so recent results are remembered in a small bounded table.
 */
public final class Redactor {
    /** What replaces a secret. */
    public static final String MARK = "[REDACTED]";

    private static final Redactor STANDARD = new Redactor();
    /** Texts remembered at most; the table is emptied when full, which keeps it cheap and bounded. */
    private static final int MEMO_ENTRIES = 4096;
    /** Longer texts are not remembered. */
    private static final int MEMO_MAX_LENGTH = 4096;

    private final ConcurrentHashMap<String, String> memo = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<String>, List<String>> argsMemo = new ConcurrentHashMap<>();

    private static final Pattern SECRET_FLAG = Pattern.compile(
            "--?(?:[A-Za-z0-9]+[-_.])*(?:password|passwd|pwd|pass|secret|token|credentials?|apikey"
                    + "|api[-_]key|access[-_]key|secret[-_]key|private[-_]key|auth[-_]token)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)(\\b[A-Za-z_][A-Za-z0-9_]*(?:_SECRET|_TOKEN|_PASSWORD|_PASSWD|_KEY|_APIKEY|_CREDENTIALS?)=)"
                    + "([^\\s'\"&;]+)");
    private static final Pattern QUERY = Pattern.compile(
            "(?i)((?:^|[?&;\\s'\"])(?:password|passwd|pwd|secret|token|access_token|api_key|apikey)=)"
                    + "([^&;\\s'\"]+)");
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)((?:proxy-)?authorization:\\s*(?:(?:bearer|basic|digest|token|negotiate|aws4-hmac-sha256)\\s+)?)"
                    + "([^\\s'\"]+(?:\\s*,\\s*[^\\s'\"]+)*)");
    private static final Pattern KEY_HEADER = Pattern.compile("(?i)((?:x-api-key|x-auth-token|cookie):\\s*)([^'\"]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)([A-Za-z0-9._~+/=-]+)");
    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s/:@]+:)([^\\s/@]+)(@)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})\\b");
    private static final Pattern AWS_SECRET = Pattern.compile("(?<![A-Za-z0-9/+=])([A-Za-z0-9+][A-Za-z0-9/+]{39})(?![A-Za-z0-9/+=])");
    private static final Pattern TOKEN_SHAPES = Pattern.compile(
            "\\b((?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}"
                    + "|xox[abprs]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+))");

    /** Substrings (lower case) without which {@link #ASSIGNMENT} and {@link #QUERY} cannot match. */
    private static final String[] ASSIGNMENT_HINTS = {"_secret=", "_token=", "_password=", "_passwd=", "_key=",
        "_apikey=", "_credential"};
    private static final String[] QUERY_HINTS = {"password=", "passwd=", "pwd=", "secret=", "token=", "api_key=",
        "apikey="};

    private static final Set<String> MYSQL_LIKE = new HashSet<>(Arrays.asList(
            "mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck", "mysqlslap",
            "mariadb", "mariadb-dump", "mariadb-admin"));
    private static final Set<String> DASH_P_VALUE = new HashSet<>(Arrays.asList("sshpass", "mongo", "mongosh",
            "mongodump", "mongorestore"));
    private static final Set<String> LOGIN_TOOLS = new HashSet<>(Arrays.asList(
            "docker", "podman", "buildah", "nerdctl", "helm", "skopeo", "oras", "crane"));

    private Redactor() {
    }

    /** The rules described above. */
    public static Redactor standard() {
        return STANDARD;
    }

    /** The arguments with every secret value replaced; {@code args[0]} decides the program-specific rules. */
    public List<String> redactArgs(List<String> args) {
        if (args.isEmpty()) {
            return args;
        }
        List<String> known = argsMemo.get(args);
        if (known != null) {
            return known;
        }
        List<String> result = redactArgsUncached(args);
        if (args.size() <= 64) {
            if (argsMemo.size() >= MEMO_ENTRIES) {
                argsMemo.clear();
            }
            argsMemo.put(List.copyOf(args), result);
        }
        return result;
    }

    private List<String> redactArgsUncached(List<String> args) {
        String program = programName(args.get(0));
        boolean login = LOGIN_TOOLS.contains(program) && args.contains("login");
        List<String> out = new ArrayList<>(args.size());
        boolean hideNext = false;
        boolean userPassNext = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (hideNext || userPassNext) {
                out.add(hideNext ? MARK : userPass(arg));
                hideNext = false;
                userPassNext = false;
                continue;
            }
            String flagRedacted = redactFlag(program, login, arg);
            if (flagRedacted != null) {
                out.add(flagRedacted);
                continue;
            }
            hideNext = i > 0 && takesSecretValue(program, login, arg);
            userPassNext = program.equals("curl") && (arg.equals("-u") || arg.equals("--user"));
            out.add(hideNext ? arg : redact(arg));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A command line with every secret replaced. It is split at spaces and treated like an argument list, so
     * quoting inside it is not interpreted (a quoted secret with spaces is cut at its first space; the
     * inline rules still apply to each piece).
     */
    public String redactCommandLine(String commandLine) {
        List<String> parts = Arrays.asList(commandLine.split(" ", -1));
        return String.join(" ", redactArgs(parts));
    }

    /** One free text (a message, a single argument) with the inline rules 3 to 6 applied. */
    public String redact(String text) {
        String known = memo.get(text);
        if (known != null) {
            return known;
        }
        String result = applyInlineRules(text);
        if (text.length() <= MEMO_MAX_LENGTH) {
            if (memo.size() >= MEMO_ENTRIES) {
                memo.clear();
            }
            memo.put(text, result);
        }
        return result;
    }

    private static String applyInlineRules(String text) {
        // Each rule runs only when a cheap test says it could match: most arguments hold no secret, and the
        // writer thread redacts every argument of every event.
        String s = text;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("://") && text.indexOf('@') >= 0) {
            s = replaceGroup2(URL_USERINFO, s, true);
        }
        if (text.indexOf(':') >= 0) {
            if (lower.contains("authorization")) {
                s = replaceGroup2(AUTH_HEADER, s, false);
            }
            if (lower.contains("x-api-key") || lower.contains("x-auth-token") || lower.contains("cookie")) {
                s = replaceGroup2(KEY_HEADER, s, false);
            }
        }
        if (lower.contains("bearer")) {
            s = replaceGroup2(BEARER, s, false);
        }
        if (text.indexOf('=') >= 0) {
            if (containsAny(lower, ASSIGNMENT_HINTS)) {
                s = replaceGroup2(ASSIGNMENT, s, false);
            }
            if (containsAny(lower, QUERY_HINTS)) {
                s = replaceGroup2(QUERY, s, false);
            }
        }
        if (text.length() < 20) {
            return s;
        }
        if (s.contains("AKIA") || s.contains("ASIA") || s.contains("AGPA") || s.contains("AIDA")
                || s.contains("AROA") || s.contains("ANPA") || s.contains("ANVA") || s.contains("AIPA")) {
            s = AWS_KEY_ID.matcher(s).replaceAll(Matcher.quoteReplacement(MARK));
        }
        if (lower.contains("gh") || lower.contains("glpat-") || lower.contains("xox") || s.contains("eyJ")) {
            s = TOKEN_SHAPES.matcher(s).replaceAll(Matcher.quoteReplacement(MARK));
        }
        return s.length() < 40 ? s : redactAwsSecrets(s);
    }

    /** {@code --password=VALUE} and program-specific attached forms; null when {@code arg} is not such a flag. */
    private static String redactFlag(String program, boolean login, String arg) {
        int eq = arg.indexOf('=');
        if (eq > 0 && arg.startsWith("-") && SECRET_FLAG.matcher(arg.substring(0, eq)).matches()) {
            return arg.substring(0, eq + 1) + MARK;
        }
        if (MYSQL_LIKE.contains(program) && arg.startsWith("-p") && arg.length() > 2 && !arg.startsWith("--")) {
            return "-p" + MARK;
        }
        if (program.equals("curl") && (arg.startsWith("--user=") || arg.startsWith("-u") && arg.length() > 2)) {
            int start = arg.startsWith("--user=") ? 7 : 2;
            return arg.substring(0, start) + userPass(arg.substring(start));
        }
        return null;
    }

    /** Whether the argument after {@code flag} is a secret (two-argument form). */
    private static boolean takesSecretValue(String program, boolean login, String flag) {
        if (flag.indexOf('=') < 0 && SECRET_FLAG.matcher(flag).matches()) {
            return true;
        }
        if (flag.equals("-p")) {
            return DASH_P_VALUE.contains(program) || login;
        }
        return flag.equals("-a") && program.equals("redis-cli");
    }

    private static boolean containsAny(String text, String[] needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private static String userPass(String value) {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon + 1) + MARK;
    }

    /** The program's file name, lower case: {@code /usr/bin/mysql} gives {@code mysql}. */
    private static String programName(String arg0) {
        String name = arg0.substring(arg0.lastIndexOf('/') + 1);
        return name.toLowerCase(Locale.ROOT);
    }

    private static String replaceGroup2(Pattern p, String s, boolean keepGroup3) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int last = 0;
        do {
            out.append(s, last, m.start()).append(m.group(1)).append(MARK);
            if (keepGroup3) {
                out.append(m.group(3));
            }
            last = m.end();
        } while (m.find());
        return out.append(s, last, s.length()).toString();
    }

    /** Rule 6's 40-character secrets: mixed case and a digit, so lower-case hex digests and words stay. */
    private static String redactAwsSecrets(String s) {
        Matcher m = AWS_SECRET.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String candidate = m.group(1);
            if (looksRandom(candidate)) {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(s, last, m.start(1)).append(MARK);
                last = m.end(1);
            }
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }

    private static boolean looksRandom(String candidate) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return upper && lower && digit;
    }
}
