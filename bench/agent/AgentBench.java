import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Java side of bench/agent-startup.sh and bench/agent-vs-otel.sh; each mode prints one line and exits. Run it
 * with and without -javaagent:execguard-agent.jar (or another agent) and compare.
 *
 *   hello        prints "hello" (start-up is timed from outside with hyperfine)
 *   first        ms spent in the very first ProcessBuilder.start() of /bin/true, issued at the top of main
 *   spawn N [W]  starts and waits for /bin/true N times after W warm-up spawns (default 1000: the JIT has compiled
 *                the JDK's and any agent's per-spawn code by then) and prints three figures per spawn, in
 *                microseconds: wall time; CPU of the whole JVM (all its threads: JIT, GC, the JDK's process reaper;
 *                children excluded); CPU of the spawning thread alone - where an exec hook runs, and the figure
 *                least disturbed by other load on the machine (see bench/agent/SpawnOverhead.java)
 *   heap         bytes of used heap after start-up, one exec and a full GC; then VmRSS in kB
 */
public class AgentBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hello":
                System.out.println("hello");
                break;
            case "first": {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("/bin/true").start();
                long t1 = System.nanoTime();
                p.waitFor();
                System.out.printf("%.2f%n", (t1 - t0) / 1e6);
                break;
            }
            case "spawn": {
                int n = Integer.parseInt(args[1]);
                spawn(args.length > 2 ? Integer.parseInt(args[2]) : 1000);
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
                ThreadMXBean thread = ManagementFactory.getThreadMXBean();
                long c0 = os.getProcessCpuTime();
                long tc0 = thread.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                spawn(n);
                long wall = System.nanoTime() - t0;
                long threadCpu = thread.getCurrentThreadCpuTime() - tc0;
                long cpu = os.getProcessCpuTime() - c0;
                System.out.printf(Locale.ROOT, "%.2f %.2f %.2f%n", wall / 1e3 / n, cpu / 1e3 / n, threadCpu / 1e3 / n);
                break;
            }
            case "heap": {
                new ProcessBuilder("/bin/true").start().waitFor();
                Thread.sleep(500); // let the agent's background start-up finish
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                Runtime rt = Runtime.getRuntime();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: 0 kB")
                        .replaceAll("[^0-9]", "");
                System.out.println(used + " " + rss);
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static void spawn(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            new ProcessBuilder("/bin/true").start().waitFor();
        }
    }
}
