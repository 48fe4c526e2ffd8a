package com.example.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spawns from many threads at once: {@code THREADS ROUNDS PATH...}; each thread runs every path once per round,
 * starting at a different one, all threads released together. Prints per path how often the exec threw, and how
 * often a thrown exception carried exactly one explanation.
 */
public final class ConcurrentSpawnApp {
    private ConcurrentSpawnApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> paths = List.of(args).subList(2, args.length);
        Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> explained = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < paths.size(); i++) {
                            String path = paths.get((i + offset) % paths.size());
                            String line = ProbeApp.attempt(path);
                            done.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                            if (line.contains(" THROWN ")) {
                                thrown.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                                if (line.trim().split(" ")[8].equals("1")) {
                                    explained.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                                }
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (String p : paths) {
            System.out.println("COUNT " + p + " " + count(done, p) + " " + count(thrown, p) + " "
                    + count(explained, p));
        }
    }

    private static int count(Map<String, AtomicInteger> m, String p) {
        AtomicInteger n = m.get(p);
        return n == null ? 0 : n.get();
    }
}
