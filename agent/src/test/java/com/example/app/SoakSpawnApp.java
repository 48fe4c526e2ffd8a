package com.example.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spawns from many threads for a fixed time: {@code THREADS MILLIS PATH...}; each thread runs the paths round
 * robin, starting at a different one, until the time is up. Prints per path how many execs ran and threw
 * ({@code COUNT path done thrown}), then every distinct outcome the app saw ({@code SEEN path outcome}): exit code
 * and output, or the exception's type, message, cause type and cause message - what an app can observe, without
 * the suppressed explanation the agent adds. Comparing the SEEN lines of a run with and without the agent shows
 * whether the agent changed what the app got.
 */
public final class SoakSpawnApp {
    private SoakSpawnApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long millis = Long.parseLong(args[1]);
        List<String> paths = List.of(args).subList(2, args.length);
        Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();
        Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] deadline = new long[1];
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = offset; System.nanoTime() < deadline[0]; i++) {
                        String path = paths.get(i % paths.size());
                        String line = ProbeApp.attempt(path);
                        done.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                        if (line.contains(" THROWN ")) {
                            thrown.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                        }
                        seen.computeIfAbsent(path, k -> ConcurrentHashMap.newKeySet()).add(observable(line));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "spawner-" + t);
            w.start();
            workers.add(w);
        }
        deadline[0] = System.nanoTime() + millis * 1_000_000L;
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (String p : paths) {
            System.out.println("COUNT " + p + " " + count(done, p) + " " + count(thrown, p));
        }
        for (String p : paths) {
            for (String o : new TreeSet<>(seen.getOrDefault(p, Set.of()))) {
                System.out.println("SEEN " + p + " " + o);
            }
        }
    }

    /** The part of ProbeApp's outcome line an app can see; the suppressed explanations are left out. */
    private static String observable(String line) {
        String[] f = line.trim().split(" ");
        if (f[2].equals("THROWN")) {
            return String.join(" ", f[2], f[3], f[4], f[5], f[6]);
        }
        return String.join(" ", List.of(f).subList(2, f.length));
    }

    private static int count(Map<String, AtomicInteger> m, String p) {
        AtomicInteger n = m.get(p);
        return n == null ? 0 : n.get();
    }
}
