import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java side of bench/agent-startup.sh; each mode prints one number and exits. Run it with and without
 * -javaagent:execguard-agent.jar and compare.
 *
 *   hello        prints "hello" (start-up is timed from outside with hyperfine)
 *   first        ms spent in the very first ProcessBuilder.start() of /bin/true, issued at the top of main
 *   spawn N      ms to start and wait for /bin/true N times (after 200 warm-up spawns), then the CPU ms the JVM
 *                itself used for them (children excluded): less sensitive to other load than wall time
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
                spawn(200);
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                spawn(n);
                long wall = System.nanoTime() - t0;
                System.out.printf("%.1f %.1f%n", wall / 1e6, (os.getProcessCpuTime() - c0) / 1e6);
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
