/** Baseline for the resident-memory benchmark: a JVM that does nothing, with the same flags as watch. */
public final class Idle {
    private Idle() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
