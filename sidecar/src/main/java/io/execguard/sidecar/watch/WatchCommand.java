package io.execguard.sidecar.watch;

import com.sun.net.httpserver.HttpExchange;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventPipeline;
import io.execguard.core.event.pipeline.EventSink;
import io.execguard.sidecar.audit.rule.AuditRules;
import io.execguard.sidecar.output.LogbackEventOutput;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code execguard watch}: explains every failed exec on the node (or in this pod) from the kernel's audit stream. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Turns the kernel's audit stream into explained exec-failure events (JSON lines), for every"
                + " process - shells, Python, Go, runc - not only JVMs.",
            "Needs CAP_AUDIT_READ and the host network namespace for the audit stream, and CAP_AUDIT_CONTROL in"
                + " the initial pid namespace for --install-rules. Runs until SIGTERM or SIGINT."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"143:stopped by SIGTERM (130 by SIGINT), after removing its rules",
            "1:failed at start (message says why)", "2:bad usage",
            "3:audit is unavailable or a privilege is missing", "4:the audit log cannot be read"})
public final class WatchCommand implements Callable<Integer> {
    @Option(names = "--output", paramLabel = "DEST", defaultValue = "stdout",
            description = "Where events go: stdout, stderr or file:PATH (size-rolled); a logback.xml named by"
                    + " EXECGUARD_LOGBACK_CONFIG wins. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--audit-log", paramLabel = "PATH",
            description = "Read auditd's log instead of the multicast stream, following rotation.")
    Path auditLog;

    @Option(names = "--from-start", description = "With --audit-log: read what the log already holds first.")
    boolean fromStart;

    @Option(names = "--install-rules",
            description = "Install the failed-exec audit rules (and enable auditing if off); remove them on exit.")
    boolean installRules;

    @Option(names = "--rule-key", paramLabel = "KEY", defaultValue = AuditRules.DEFAULT_KEY,
            description = "Key of the installed rules (default: ${DEFAULT-VALUE}).")
    String ruleKey;

    @Option(names = "--scope", paramLabel = "node|pod", defaultValue = "node",
            description = "node: every failure (needs hostPID); pod: only files in this pod's processes' roots"
                    + " (shareProcessNamespace). Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--dedupe-window", paramLabel = "DURATION", defaultValue = "60s",
            description = "Identical failures (container, path, cause) within this window are written once, then"
                    + " summarised with a count; 0 writes every one. Default: ${DEFAULT-VALUE}.")
    String dedupeWindow;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464",
            description = "HTTP address for /healthz, /readyz and /metrics; 'none' turns it off."
                    + " Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long the readiness probe waits for its own failed exec. Default: ${DEFAULT-VALUE}.")
    String readyTimeout;

    @Option(names = "--no-probe", description = "Do not trigger the readiness probe; ready at once.")
    boolean noProbe;

    @Option(names = "--receive-buffer", paramLabel = "SIZE", defaultValue = "8m",
            description = "Receive buffer asked for the audit socket (k, m suffixes): what a burst may queue while"
                    + " watch is busy before the kernel drops records (the kernel doubles it for its bookkeeping;"
                    + " above net.core.rmem_max needs CAP_NET_ADMIN). Default: ${DEFAULT-VALUE}.")
    String receiveBuffer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Watcher.Settings settings = settings();
        OutputSpec out = outputSpec();
        EventSink sink;
        try {
            sink = LogbackEventOutput.configure(out);
        } catch (IllegalArgumentException e) {
            say(err, e.getMessage());
            return 1;
        }
        WatchMetrics metrics = new WatchMetrics();
        EventPipeline events = EventPipeline.builder().sink(sink).threadName("execguard-output")
                .dropReporter((since, total) -> say(err, since + " events dropped by the output (" + total
                        + " in total)")).start();
        metrics.pipelineDropped(events::droppedCount);
        Watcher watcher = new Watcher(settings, events::offer, metrics, m -> say(err, m));
        Optional<HTTPServer> http;
        try {
            http = startHttp(metrics, watcher);
        } catch (IOException e) {
            events.close();
            say(err, "cannot listen on " + listen + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            watcher.close();
            events.close();
            http.ifPresent(HTTPServer::close);
            stopped.countDown();
        }, "execguard-shutdown");
        // Registered before anything is installed, so that a signal at any moment removes what was installed.
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            watcher.start();
        } catch (WatchException e) {
            say(err, e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            watcher.close();
            events.close();
            http.ifPresent(HTTPServer::close);
            return e.exitCode();
        }
        say(err, "watching " + (auditLog != null ? auditLog.toString() : "the audit stream") + ", scope "
                + settings.scope().name().toLowerCase() + http.map(h -> ", http on " + listen).orElse(""));
        stopped.await();
        return 0;
    }

    private Watcher.Settings settings() {
        Scope sc;
        try {
            sc = Scope.valueOf(scope.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scope must be node or pod, not " + scope);
        }
        if (fromStart && auditLog == null) {
            throw new ParameterException(spec.commandLine(), "--from-start needs --audit-log");
        }
        Watcher.Settings d = Watcher.Settings.defaults();
        return new Watcher.Settings(Optional.ofNullable(auditLog), fromStart, installRules, ruleKey, sc,
                duration("--dedupe-window", dedupeWindow), duration("--ready-timeout", readyTimeout), !noProbe,
                d.probeDirectory(), d.trees()).withReceiveBuffer(bytes("--receive-buffer", receiveBuffer));
    }

    private OutputSpec outputSpec() {
        try {
            return OutputSpec.parse(output);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--output: " + e.getMessage());
        }
    }

    /** Parses {@code 262144}, {@code 256k} or {@code 8m}: between 4 KiB and 1 GiB. */
    int bytes(String option, String text) {
        String t = text.trim().toLowerCase();
        long unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1;
        try {
            long n = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
            if (n >= 4096 && n <= 1L << 30) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new ParameterException(spec.commandLine(), option + " must be a size between 4k and 1024m, such as 8m"
                + " or 256k, not " + text);
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 0} or an ISO-8601 duration. */
    Duration duration(String option, String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    return Duration.parse(text);
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new ParameterException(spec.commandLine(), option + " must be a duration such as 10s, 5m or"
                    + " 500ms, not " + text);
        }
    }

    private Optional<HTTPServer> startHttp(WatchMetrics metrics, Watcher watcher) throws IOException {
        if (listen.equals("none")) {
            return Optional.empty();
        }
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT or none, not " + listen);
        }
        String host = colon <= 0 ? "0.0.0.0" : listen.substring(0, colon).replace("[", "").replace("]", "");
        return Optional.of(HTTPServer.builder().hostname(host).port(port).registry(metrics.registry())
                .defaultHandler(exchange -> health(exchange, watcher)).buildAndStart());
    }

    private static void health(HttpExchange exchange, Watcher watcher) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status;
        String body;
        if (path.equals("/healthz")) {
            status = watcher.healthy() ? 200 : 503;
            body = watcher.healthy() ? "ok\n" : "the audit reader has stopped\n";
        } else if (path.equals("/readyz")) {
            status = watcher.ready() ? 200 : 503;
            body = watcher.ready() ? "ready\n" : "not ready: " + watcher.notReadyReason() + "\n";
        } else {
            status = 404;
            body = "try /healthz, /readyz or /metrics\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static void say(PrintWriter err, String message) {
        synchronized (err) {
            err.println("execguard watch: " + message);
            err.flush();
        }
    }
}
