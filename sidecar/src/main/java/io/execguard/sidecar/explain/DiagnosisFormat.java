package io.execguard.sidecar.explain;

import io.execguard.core.diagnose.Diagnosis;
import java.io.IOException;

/** How {@code explain} writes each diagnosis. Not thread-safe: called from one thread, in input order. */
interface DiagnosisFormat {
    void write(Diagnosis d) throws IOException;

    /** Called once after the last diagnosis. */
    default void finish() throws IOException {
    }
}
