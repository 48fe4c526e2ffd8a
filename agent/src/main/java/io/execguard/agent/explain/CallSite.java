package io.execguard.agent.explain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where in the application an exec came from: the stack frames from the first one outside the JDK, the agent and
 * the libraries that only launch processes for their callers (commons-exec, zt-exec, NuProcess, Groovy's and
 * Kotlin's process helpers, scala.sys.process, Ant's Execute, jproc, Plexus and Maven shared utils).
 */
public final class CallSite {
    /** How many application frames an event carries. */
    static final int MAX_FRAMES = 5;
    private static final List<String> SKIPPED_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.",
            "io.execguard.agent.",
            "org.apache.commons.exec.", "org.zeroturnaround.exec.", "com.zaxxer.nuprocess.",
            "org.codehaus.groovy.runtime.ProcessGroovyMethods", "org.codehaus.groovy.vmplugin.",
            "org.codehaus.groovy.runtime.callsite.", "kotlin.io.", "scala.sys.process.",
            "org.apache.tools.ant.taskdefs.Execute", "org.buildobjects.process.",
            "org.codehaus.plexus.util.cli.", "org.apache.maven.shared.utils.cli.");

    private CallSite() {
    }

    /**
     * The current thread's application frames, innermost first, as {@link StackTraceElement#toString()} prints
     * them ({@code com.acme.Jobs.run(Jobs.java:42)}); empty when every frame belongs to the JDK or a launcher.
     */
    public static List<String> ofCurrentThread() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(f -> skipped(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(f -> f.toStackTraceElement().toString())
                .collect(Collectors.toList()));
    }

    /** Whether frames of {@code className} are passed over when looking for the application's frame. */
    static boolean skipped(String className) {
        for (String prefix : SKIPPED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
