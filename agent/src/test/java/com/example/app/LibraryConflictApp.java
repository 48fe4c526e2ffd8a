package com.example.app;

import com.fasterxml.jackson.core.json.PackageVersion;
import net.bytebuddy.ByteBuddy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application with its own Byte Buddy, jackson-core, SLF4J and logback (other versions than the agent bundles)
 * and its own logback configuration: prints which versions it really runs, uses Byte Buddy, logs, then execs.
 */
public final class LibraryConflictApp {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryConflictApp.class);

    private LibraryConflictApp() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> generated = new ByteBuddy().subclass(Object.class).name("com.example.app.Generated").make()
                .load(LibraryConflictApp.class.getClassLoader()).getLoaded();
        System.out.println("BYTEBUDDY " + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation()
                + " " + generated.getName());
        System.out.println("JACKSON " + PackageVersion.VERSION);
        System.out.println("LOGGERFACTORY " + LoggerFactory.getILoggerFactory().getClass().getName());
        for (String arg : args) {
            String line = ProbeApp.attempt(arg);
            LOG.info("attempted {}", arg);
            System.out.println(line);
        }
    }
}
