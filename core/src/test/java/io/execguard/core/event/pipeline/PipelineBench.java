package io.execguard.core.event.pipeline;

import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark harness behind {@code bench/events-pipeline.sh} (not a unit test): cost of {@link EventPipeline#offer}
 * on the producing thread, against an {@link ArrayBlockingQueue} hand-off measured in the same run, and the writer
 * thread's serialisation cost. Arguments: producers, offers per producer, rounds.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        int producers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perProducer = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ExecEvent event = ExampleEvents.agentExecFailed();

        System.out.printf("serialise+redact (EventJsonWriter.toJson, full agent event): %.0f ns/event%n",
                serialiseNanos(event));
        System.out.printf("%-34s %12s %10s %10s %10s %10s%n", "hand-off (" + producers + " producers)",
                "offers/s", "p50 ns", "p99 ns", "p99.9 ns", "max ns");
        for (int r = 0; r < rounds; r++) {
            report("EventPipeline.offer", runPipeline(event, producers, perProducer));
            report("baseline ArrayBlockingQueue.offer", runArrayBlockingQueue(event, producers, perProducer));
        }
    }

    private static double serialiseNanos(ExecEvent event) {
        EventJsonWriter writer = EventJsonWriter.standard();
        long sink = 0;
        for (int i = 0; i < 50_000; i++) {
            sink += writer.toJson(event).length();
        }
        int n = 200_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += writer.toJson(event).length();
        }
        long elapsed = System.nanoTime() - t0;
        if (sink == 42) {
            System.out.println();
        }
        return (double) elapsed / n;
    }

    /** A sink that only counts: the numbers are the hand-off's, not an appender's. */
    private static Result runPipeline(ExecEvent event, int producers, int perProducer) throws Exception {
        AtomicLong lines = new AtomicLong();
        EventPipeline pipeline = EventPipeline.builder().sink(line -> lines.incrementAndGet()).start();
        Result r = produce(producers, perProducer, () -> pipeline.offer(event));
        pipeline.close(Duration.ofSeconds(60));
        r.dropped = pipeline.droppedCount();
        return r;
    }

    /** The same hand-off with a lock-based bounded queue and a consumer that serialises, for comparison. */
    private static Result runArrayBlockingQueue(ExecEvent event, int producers, int perProducer) throws Exception {
        ArrayBlockingQueue<ExecEvent> queue = new ArrayBlockingQueue<>(8192);
        AtomicLong dropped = new AtomicLong();
        Thread consumer = new Thread(() -> {
            EventJsonWriter writer = EventJsonWriter.standard();
            try {
                while (true) {
                    ExecEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (e == null && Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    if (e != null) {
                        writer.toJson(e);
                    }
                }
            } catch (InterruptedException ignored) {
                // done
            }
        });
        consumer.setDaemon(true);
        consumer.start();
        Result r = produce(producers, perProducer, () -> {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        });
        consumer.interrupt();
        consumer.join();
        r.dropped = dropped.get();
        return r;
    }

    private static Result produce(int producers, int perProducer, Runnable offer) throws Exception {
        CyclicBarrier start = new CyclicBarrier(producers);
        long[][] samples = new long[producers][];
        long[] began = new long[producers];
        long[] ended = new long[producers];
        Thread[] threads = new Thread[producers];
        for (int t = 0; t < producers; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                long[] s = new long[perProducer / 16];
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                began[index] = System.nanoTime();
                for (int i = 0; i < perProducer; i++) {
                    if ((i & 15) == 0 && i / 16 < s.length) {
                        long t0 = System.nanoTime();
                        offer.run();
                        s[i / 16] = System.nanoTime() - t0;
                    } else {
                        offer.run();
                    }
                }
                ended[index] = System.nanoTime();
                samples[index] = s;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // From the first producer's start to the last one's end, as the producers saw it.
        long elapsed = Arrays.stream(ended).max().orElseThrow() - Arrays.stream(began).min().orElseThrow();
        long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        Result r = new Result();
        r.offersPerSecond = (double) producers * perProducer / (elapsed / 1e9);
        r.p50 = all[all.length / 2];
        r.p99 = all[(int) (all.length * 0.99)];
        r.p999 = all[(int) (all.length * 0.999)];
        r.max = all[all.length - 1];
        return r;
    }

    private static void report(String name, Result r) {
        System.out.printf("%-34s %12.0f %10d %10d %10d %10d  (dropped %d)%n", name, r.offersPerSecond, r.p50, r.p99,
                r.p999, r.max, r.dropped);
    }

    private static final class Result {
        double offersPerSecond;
        long p50;
        long p99;
        long p999;
        long max;
        long dropped;
    }
}
