package io.execguard.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's reader of execguard events: {@code show [--under DIR] FILE...} prints a short digest of every event
 * (about a file under DIR) in JSON-lines files, {@code check FILE} reads {@link Expectation}s and prints the summary table (expected event, seen or not).
 *
 * <p>Exit status: 0 when every expectation that was not skipped is met, 1 when one is not, 2 for usage errors.
 */
public final class EventReport {
    private final PrintStream out;

    EventReport(PrintStream out) {
        this.out = out;
    }

    /**
     * Prints the digest of every event in {@code file} whose {@code file.path} starts with {@code under} (all when
     * empty) and counts the others; returns how many were shown.
     */
    int show(Path file, String under) throws IOException {
        EventLog log = EventLog.read(file);
        if (log.missing()) {
            out.println("  (no events: " + file + " was never written)");
            return 0;
        }
        int shown = 0;
        for (JsonNode event : log.events()) {
            if (EventFields.text(event, "file.path").orElse("").startsWith(under)) {
                EventDigest.lines(event).forEach(out::println);
                shown++;
            }
        }
        int others = log.events().size() - shown;
        out.println("  " + log.events().size() + " event(s) in " + file
                + (others > 0 ? ", " + others + " of them about files outside " + under + " (not shown)" : "")
                + (log.badLines() > 0 ? ", " + log.badLines() + " line(s) that are not JSON objects" : ""));
        return shown;
    }

    /**
     * Prints the summary table - one row per broken file, one column per reporter, each cell yes, NO or skip -
     * followed by what each miss was looking for and why parts were skipped; returns how many were not met.
     */
    int check(List<Expectation> expectations) {
        Map<Path, EventLog> logs = new HashMap<>();
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        Set<String> columns = new LinkedHashSet<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        for (Expectation expectation : expectations) {
            columns.add(expectation.column());
            String verdict;
            if (expectation.skipReason().isPresent()) {
                verdict = "skip";
                skipped.putIfAbsent(expectation.column(), expectation.skipReason().get());
            } else {
                Path source = expectation.source().orElseThrow();
                EventLog log = logs.computeIfAbsent(source, EventReport::readQuietly);
                boolean seen = log.events().stream().anyMatch(expectation::matches);
                verdict = seen ? "yes" : "NO";
                if (!seen) {
                    misses.add(expectation.row() + " / " + expectation.column() + ": no event in " + source
                            + " with " + expectation.describe());
                }
            }
            cells.computeIfAbsent(expectation.row(), r -> new LinkedHashMap<>()).put(expectation.column(), verdict);
        }
        printMatrix(cells, columns);
        Map<String, List<String>> columnsByReason = new LinkedHashMap<>();
        skipped.forEach((column, reason) -> columnsByReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(column));
        columnsByReason.forEach((reason, skippedColumns) ->
                out.println("  skipped " + String.join(", ", skippedColumns) + ": " + reason));
        misses.forEach(miss -> out.println("  MISSING " + miss));
        return misses.size();
    }

    private void printMatrix(Map<String, Map<String, String>> cells, Set<String> columns) {
        int rowWidth = cells.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder header = new StringBuilder(String.format("  %-" + rowWidth + "s", ""));
        for (String column : columns) {
            header.append("  ").append(String.format("%-" + Math.max(column.length(), 4) + "s", column));
        }
        out.println(header.toString().stripTrailing());
        cells.forEach((row, verdicts) -> {
            StringBuilder line = new StringBuilder(String.format("  %-" + rowWidth + "s", row));
            for (String column : columns) {
                line.append("  ").append(String.format("%-" + Math.max(column.length(), 4) + "s",
                        verdicts.getOrDefault(column, "-")));
            }
            out.println(line.toString().stripTrailing());
        });
    }

    private static EventLog readQuietly(Path path) {
        try {
            return EventLog.read(path);
        } catch (IOException e) {
            return new EventLog(path, List.of(), 0, true);
        }
    }

    private static List<Expectation> readExpectations(Path file) throws IOException {
        List<Expectation> expectations = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                expectations.add(Expectation.parse(line));
            }
        }
        return expectations;
    }

    /** {@code show FILE...} or {@code check EXPECTATIONS}; see the class comment for exit codes. */
    public static void main(String[] args) throws IOException {
        EventReport report = new EventReport(System.out);
        if (args.length >= 2 && args[0].equals("show")) {
            boolean filtered = args.length >= 4 && args[1].equals("--under");
            String under = filtered ? args[2] : "";
            for (int i = filtered ? 3 : 1; i < args.length; i++) {
                report.show(Paths.get(args[i]), under);
            }
            return;
        }
        if (args.length == 2 && args[0].equals("check")) {
            int missed;
            try {
                missed = report.check(readExpectations(Paths.get(args[1])));
            } catch (IllegalArgumentException e) {
                System.err.println("EventReport: " + e.getMessage());
                System.exit(2);
                return;
            }
            System.exit(missed == 0 ? 0 : 1);
        }
        System.err.println("usage: EventReport show [--under DIR] FILE... | EventReport check EXPECTATIONS");
        System.exit(2);
    }
}
