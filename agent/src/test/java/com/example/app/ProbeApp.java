package com.example.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An application for the agent's integration tests (in a package of its own, as an application's would be): execs
 * each argument in turn (with ProcessBuilder; with Runtime.exec for {@code runtime:PATH}; as the second stage of a
 * {@code startPipeline} for {@code pipeline:PATH})
 * and prints one line per attempt describing what the application saw, in a format the tests read back. Uses
 * nothing but the JDK.
 */
public final class ProbeApp {
    private ProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            System.out.println(attempt(arg));
        }
    }

    /** One attempt as a line: {@code OUTCOME <b64 path> EXIT <code> <b64 output>} or {@code ... THROWN ...}. */
    public static String attempt(String arg) throws InterruptedException {
        boolean runtime = arg.startsWith("runtime:");
        boolean pipeline = arg.startsWith("pipeline:");
        String path = runtime || pipeline ? arg.substring(arg.indexOf(':') + 1) : arg;
        try {
            Process p = runtime ? Runtime.getRuntime().exec(new String[] {path})
                    : pipeline ? last(ProcessBuilder.startPipeline(List.of(new ProcessBuilder("/bin/true"),
                            new ProcessBuilder(path).redirectErrorStream(true))))
                    : new ProcessBuilder(path).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            return "OUTCOME " + b64(path) + " EXIT " + exit + " " + b64(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            List<String> suppressed = new ArrayList<>();
            for (Throwable s : e.getSuppressed()) {
                suppressed.add(b64(s.getClass().getName() + ": " + s.getMessage()));
            }
            Throwable c = e.getCause();
            return "OUTCOME " + b64(path) + " THROWN " + b64(e.getClass().getName()) + " " + b64(e.getMessage())
                    + " " + b64(c == null ? "" : c.getClass().getName()) + " " + b64(c == null ? "" : c.getMessage())
                    + " " + (c == null ? 0 : c.getSuppressed().length) + " " + suppressed.size()
                    + (suppressed.isEmpty() ? "" : " " + String.join(" ", suppressed));
        }
    }

    private static Process last(List<Process> pipeline) {
        return pipeline.get(pipeline.size() - 1);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
