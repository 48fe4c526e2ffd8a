package io.execguard.core.diagnose;

import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.inspect.ElfDescription;
import io.execguard.core.inspect.ElfHeader;
import io.execguard.core.platform.BinfmtEntry;

/**
 * A file claimed by a binfmt_misc handler (the kernel asks binfmt_misc before any other handler): the handler's
 * interpreter runs it, unless the interpreter cannot be opened in this mount namespace. Handlers registered with flag
 * {@code F} hold their interpreter open since registration and always work.
 */
final class BinfmtCheck {
    private BinfmtCheck() {
    }

    static Verdict check(Inspection in, String path, BoundedReader r, BinfmtEntry handler, int depth) {
        Evidence.Builder binfmt = Evidence.builder().put("name", handler.name())
                .put("interpreter", handler.interpreter()).put("flags", handler.flags());
        String what = path;
        Evidence elf = Evidence.empty();
        if (ElfHeader.hasMagic(r.kernelBuffer())) {
            ElfDescription d = ElfDescription.describe(r);
            elf = ElfCheck.evidence(d);
            what = path + " (" + d.phrase() + ", " + ElfCheck.platformText(d) + ")";
        }
        Verdict v = verdict(in, path, what, handler, depth);
        return v.evidence("elf", elf).evidence("binfmt", binfmt.build());
    }

    private static Verdict verdict(Inspection in, String path, String what, BinfmtEntry handler, int depth) {
        if (handler.fixBinary()) {
            return Verdict.of(Cause.EMULATED, what + " runs through the binfmt_misc handler " + handler.name()
                    + " with " + handler.interpreter() + " (flag F: opened when the handler was registered).");
        }
        Verdict nested = in.examine(handler.interpreter(), depth + 1);
        if (nested.isRunnable()) {
            return Verdict.of(Cause.EMULATED, what + " runs through the binfmt_misc handler " + handler.name()
                    + " with " + handler.interpreter() + ".");
        }
        String problem = nested.cause() == Cause.NOT_FOUND ? "which does not exist in this mount namespace"
                : "which cannot run: " + nested.summary();
        return Verdict.of(Cause.BINFMT_INTERPRETER_MISSING, what + " is claimed by the binfmt_misc handler "
                + handler.name() + ", whose interpreter is " + handler.interpreter() + ", " + problem
                + (problem.endsWith(".") ? "" : "."))
                .errno(nested.errno().orElse(null))
                .evidence("interpreter_diagnosis", nested.asNestedEvidence(handler.interpreter()));
    }
}
