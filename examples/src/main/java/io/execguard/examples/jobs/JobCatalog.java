package io.execguard.examples.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the job list: one job per line, {@code NAME COMMAND ARGS...} separated by blanks, {@code #} comments,
 * and {@code ${tools}} replaced by the tools directory. Deliberately no quoting: the demo's commands need none.
 */
public final class JobCatalog {
    private JobCatalog() {
    }

    /** Parses a job list; a line with a name and no command is an error that names the line. */
    public static List<Job> parse(Reader source, Path toolsDir) throws IOException {
        List<Job> jobs = new ArrayList<>();
        BufferedReader lines = new BufferedReader(source);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            List<String> words = Arrays.asList(text.replace("${tools}", toolsDir.toString()).split("\\s+"));
            if (words.size() < 2) {
                throw new IllegalArgumentException("job list line " + number + ": a job needs a name and a command");
            }
            jobs.add(new Job(words.get(0), words.subList(1, words.size())));
        }
        return List.copyOf(jobs);
    }
}
