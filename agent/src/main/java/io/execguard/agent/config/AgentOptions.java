package io.execguard.agent.config;

import io.execguard.core.event.output.OutputSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's configuration, from the agent argument string ({@code -javaagent:execguard-agent.jar=OPTIONS}) and
 * the {@code EXECGUARD_*} environment variables; an option given in the argument string wins over its variable.
 *
 * <p>Syntax: {@code key=value} pairs separated by commas; deny rules separated by {@code |}:
 * <pre>mode=enforce,output=file:/var/log/execguard.json,explain=false,deny=shell-fallback|path:/opt/x/*</pre>
 * Keys and their variables: {@code mode} ({@code EXECGUARD_MODE}: observe, enforce), {@code output}
 * ({@code EXECGUARD_OUTPUT}: stderr, stdout, file:PATH), {@code explain} ({@code EXECGUARD_EXPLAIN}: true, false),
 * {@code deny} ({@code EXECGUARD_DENY}), {@code recheck} ({@code EXECGUARD_RECHECK}: how long a program whose
 * check passed is trusted before its file is looked at again, {@code 0}, {@code 250ms}, {@code 1s}; at most
 * {@link #MAX_RECHECK}). Enforce mode without a deny option denies the shell fallback. Immutable.
 */
public final class AgentOptions {
    private static final String ENV_PREFIX = "EXECGUARD_";
    private static final String[] KEYS = {"mode", "output", "explain", "deny", "recheck"};
    private static final String KEY_LIST = "keys: mode, output, explain, deny, recheck";
    /** Observe mode's default: a healthy program exec'd in a loop costs one look at its file a second. */
    public static final Duration OBSERVE_RECHECK = Duration.ofSeconds(1);
    /** The longest {@code recheck} accepted: beyond it a replaced file would go unnoticed for too long. */
    public static final Duration MAX_RECHECK = Duration.ofMinutes(1);

    private final Mode mode;
    private final OutputSpec output;
    private final boolean explain;
    private final List<DenyRule> deny;
    private final Duration recheck;

    private AgentOptions(Mode mode, OutputSpec output, boolean explain, List<DenyRule> deny, Duration recheck) {
        this.mode = mode;
        this.output = output;
        this.explain = explain;
        this.deny = Collections.unmodifiableList(new ArrayList<>(deny));
        this.recheck = recheck;
    }

    /**
     * Observe mode, events to stderr, explanations on, shell fallback denied once enforce mode is chosen, a healthy
     * program re-checked at most once a second.
     */
    public static AgentOptions defaults() {
        return new AgentOptions(Mode.OBSERVE, OutputSpec.stderr(), true, List.of(DenyRule.shellFallback()),
                OBSERVE_RECHECK);
    }

    /**
     * Parses the agent argument string (may be null or empty) over the environment.
     *
     * @throws InvalidOptionException naming the first invalid option
     */
    public static AgentOptions parse(String args, Map<String, String> env) throws InvalidOptionException {
        String[] values = new String[KEYS.length];
        boolean[] fromEnv = new boolean[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            values[i] = env.get(variable(i));
            fromEnv[i] = values[i] != null;
        }
        if (args != null && !args.trim().isEmpty()) {
            for (String pair : args.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidOptionException("invalid option '" + pair + "': expected key=value "
                            + "(" + KEY_LIST + ")");
                }
                int i = indexOf(pair.substring(0, eq).trim());
                values[i] = pair.substring(eq + 1).trim();
                fromEnv[i] = false;
            }
        }
        try {
            Mode mode = parseMode(values[0]);
            return new AgentOptions(mode, parseOutput(values[1]), parseBoolean("explain", values[2]),
                    parseDeny(values[3]), parseRecheck(values[4], mode));
        } catch (InvalidOptionException e) {
            throw withSource(e, values, fromEnv);
        }
    }

    private static String variable(int i) {
        return ENV_PREFIX + KEYS[i].toUpperCase(Locale.ROOT);
    }

    /** Names the environment variable when the bad value came from one: the user has to know where to look. */
    private static InvalidOptionException withSource(InvalidOptionException e, String[] values, boolean[] fromEnv) {
        for (int i = 0; i < KEYS.length; i++) {
            if (fromEnv[i] && e.getMessage().contains("'" + values[i] + "'")) {
                return new InvalidOptionException(e.getMessage() + " (from " + variable(i) + ")");
            }
        }
        return e;
    }

    private static int indexOf(String key) throws InvalidOptionException {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) {
                return i;
            }
        }
        throw new InvalidOptionException("unknown option '" + key + "' (" + KEY_LIST + ")");
    }

    private static Mode parseMode(String value) throws InvalidOptionException {
        if (value == null || "observe".equals(value)) {
            return Mode.OBSERVE;
        }
        if ("enforce".equals(value)) {
            return Mode.ENFORCE;
        }
        throw new InvalidOptionException("invalid mode '" + value + "': expected observe or enforce");
    }

    private static OutputSpec parseOutput(String value) throws InvalidOptionException {
        if (value == null) {
            return OutputSpec.stderr();
        }
        try {
            return OutputSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
    }

    private static boolean parseBoolean(String key, String value) throws InvalidOptionException {
        if (value == null || "true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw new InvalidOptionException("invalid " + key + " '" + value + "': expected true or false");
    }

    private static List<DenyRule> parseDeny(String value) throws InvalidOptionException {
        if (value == null) {
            return List.of(DenyRule.shellFallback());
        }
        List<DenyRule> rules = new ArrayList<>();
        if (value.isEmpty() || "none".equals(value)) {
            return rules;
        }
        for (String rule : value.split("\\|", -1)) {
            rules.add(DenyRule.parse(rule.trim()));
        }
        return rules;
    }

    /**
     * {@code 0}, or a whole number of milliseconds ({@code 250ms}) or seconds ({@code 1s}), at most
     * {@link #MAX_RECHECK}. Unset: {@link #OBSERVE_RECHECK} in observe mode; 0 in enforce mode, whose refusals must
     * not rest on what a file was up to a second ago.
     */
    private static Duration parseRecheck(String value, Mode mode) throws InvalidOptionException {
        if (value == null) {
            return mode == Mode.ENFORCE ? Duration.ZERO : OBSERVE_RECHECK;
        }
        Duration d = parseDuration(value);
        if (d == null || d.isNegative() || d.compareTo(MAX_RECHECK) > 0) {
            throw new InvalidOptionException("invalid recheck '" + value + "': expected 0, or a duration such as"
                    + " 250ms or 1s, at most " + MAX_RECHECK.toSeconds() + "s");
        }
        return d;
    }

    /** {@code 0}, {@code Nms} or {@code Ns}; null for anything else. */
    private static Duration parseDuration(String value) {
        try {
            if ("0".equals(value)) {
                return Duration.ZERO;
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    public Mode mode() {
        return mode;
    }

    public OutputSpec output() {
        return output;
    }

    /** Whether failed execs get the explanation as a suppressed exception (events are written either way). */
    public boolean explain() {
        return explain;
    }

    /** The policies enforce mode applies; observe mode reports what they would have refused. */
    public List<DenyRule> deny() {
        return deny;
    }

    /**
     * How long a program whose check found nothing to report is trusted before its file is looked at again; zero
     * means every exec looks. A failed exec is always diagnosed afresh.
     */
    public Duration recheck() {
        return recheck;
    }

    /** True when a rule of {@code kind} is configured. */
    public boolean denies(DenyRule.Kind kind) {
        for (DenyRule r : deny) {
            if (r.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder d = new StringBuilder();
        for (DenyRule r : deny) {
            d.append(d.length() == 0 ? "" : "|").append(r);
        }
        return "mode=" + mode.name().toLowerCase(Locale.ROOT) + ",output=" + output + ",explain=" + explain
                + ",deny=" + (d.length() == 0 ? "none" : d) + ",recheck=" + formatRecheck(recheck);
    }

    private static String formatRecheck(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
