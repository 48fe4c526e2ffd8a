package io.execguard.core.diagnose;

/**
 * Looks at a file and says, before or after the kernel refuses it, exactly why it cannot run and what to do.
 * Thread-safe; host facts are read once from /proc and /sys, never from a spawned process.
 */
public final class DiagnosisEngine {

    private DiagnosisEngine() {
    }

    /** An engine whose default tree is the host's {@code /} and default platform the host's. */
    public static DiagnosisEngine forHost() {
        return new DiagnosisEngine();
    }

    /** Diagnoses one file. Never throws for anything about the file itself: every outcome is a diagnosis. */
    public Diagnosis diagnose(DiagnosisRequest request) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
