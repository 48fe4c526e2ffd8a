package io.execguard.agent.explain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where in the application an exec came from: the first stack frame outside the JDK, the agent and the libraries
 * that only launch processes for their callers (commons-exec, zt-exec, NuProcess, Groovy's and Kotlin's process
 * helpers, scala.sys.process, Ant's Execute, jproc, Plexus and Maven shared utils). Immutable.
 */
public final class CallSite {
    private static final List<String> SKIPPED_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.",
            "io.execguard.agent.",
            "org.apache.commons.exec.", "org.zeroturnaround.exec.", "com.zaxxer.nuprocess.",
            "org.codehaus.groovy.runtime.ProcessGroovyMethods", "org.codehaus.groovy.vmplugin.",
            "org.codehaus.groovy.runtime.callsite.", "kotlin.io.", "scala.sys.process.",
            "org.apache.tools.ant.taskdefs.Execute", "org.buildobjects.process.",
            "org.codehaus.plexus.util.cli.", "org.apache.maven.shared.utils.cli.");

    private final String className;
    private final String methodName;
    private final String fileName;
    private final int lineNumber;

    CallSite(String className, String methodName, String fileName, int lineNumber) {
        this.className = Objects.requireNonNull(className);
        this.methodName = Objects.requireNonNull(methodName);
        this.fileName = fileName;
        this.lineNumber = lineNumber;
    }

    /** The call site of the current thread's exec; empty when every frame belongs to the JDK or a launcher. */
    public static Optional<CallSite> ofCurrentThread() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !skipped(f.getClassName()))
                .findFirst()
                .map(f -> new CallSite(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber())));
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

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /** The line, or a negative number when unknown. */
    public int lineNumber() {
        return lineNumber;
    }

    /** Like a stack trace element: {@code com.acme.Jobs.run(Jobs.java:42)}. */
    @Override
    public String toString() {
        return className + "." + methodName + "(" + (fileName == null ? "Unknown Source"
                : lineNumber >= 0 ? fileName + ":" + lineNumber : fileName) + ")";
    }
}
