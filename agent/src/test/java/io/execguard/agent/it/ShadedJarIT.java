package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The real shaded jar: every class under {@code io.execguard} (bundled libraries relocated), the agent manifest,
 * and no code anywhere in it that starts a process or creates a temporary file.
 */
class ShadedJarIT {
    @Test
    void everyClassIsUnderTheAgentsOwnPackage() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (!name.endsWith("/") && !name.startsWith("io/execguard/") && !name.startsWith("META-INF/")) {
                    foreign.add(name);
                }
                if (name.startsWith("META-INF/versions/") || name.endsWith("module-info.class")) {
                    foreign.add(name);
                }
            }
        }
        assertEquals(List.of(), foreign);
    }

    @Test
    void theManifestNamesEveryEntryPoint() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            Manifest m = jar.getManifest();
            assertEquals("io.execguard.agent.ExecGuardAgent", m.getMainAttributes().getValue("Premain-Class"));
            assertEquals("io.execguard.agent.ExecGuardAgent", m.getMainAttributes().getValue("Agent-Class"));
            assertEquals("io.execguard.agent.ExecGuardAgent", m.getMainAttributes().getValue("Main-Class"));
            assertEquals("true", m.getMainAttributes().getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void nothingInItStartsAProcessOrCreatesATemporaryFile() throws IOException {
        List<String> calls = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        scan(entry.getName(), in.readAllBytes(), calls);
                    }
                }
            }
        }
        assertEquals(List.of(), calls);
        assertTrue(ChildJvm.AGENT_JAR.toFile().length() < 3_000_000, "a small jar opens fast");
    }

    private static void scan(String className, byte[] bytes, List<String> calls) {
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        boolean spawn = owner.equals("java/lang/ProcessBuilder") && method.startsWith("start")
                                || owner.equals("java/lang/Runtime") && method.equals("exec");
                        boolean temp = owner.equals("java/io/File") && method.equals("createTempFile")
                                || owner.equals("java/nio/file/Files") && method.startsWith("createTemp");
                        if (spawn || temp) {
                            calls.add(className + " calls " + owner + "." + method);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
    }
}
