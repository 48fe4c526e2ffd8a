package io.execguard.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Rewrites this JDK's own {@code ProcessImpl} and {@code ProcessBuilder} and runs ASM's bytecode verifier over the
 * result (the JVM does not verify bootstrap classes by default, so a mistake would not show as a VerifyError).
 */
class ProcessClassRewriterTest {
    private final ProcessClassRewriter rewriter = new ProcessClassRewriter();

    @Test
    void processImplGetsTheBeforeStartHookAndStillVerifies() throws IOException {
        byte[] out = rewriter.rewrite(DeferredTransformer.PROCESS_IMPL, jdkClass("java/lang/ProcessImpl"));
        assertNotNull(out);
        assertVerifies(out);
        assertEquals(List.of("start:beforeStart"), bridgeReads(out));
    }

    @Test
    void processBuilderGetsTheAfterFailureHookAndStillVerifies() throws IOException {
        byte[] out = rewriter.rewrite(DeferredTransformer.PROCESS_BUILDER, jdkClass("java/lang/ProcessBuilder"));
        assertNotNull(out);
        assertVerifies(out);
        assertEquals(List.of("start:afterFailure"), bridgeReads(out));
    }

    @Test
    void aClassWithoutTheMethodIsLeftAlone() throws IOException {
        assertNull(rewriter.rewrite(DeferredTransformer.PROCESS_IMPL, jdkClass("java/lang/Object")));
    }

    @Test
    void bootstrapBridgeClassFilesAreValid() throws Exception {
        assertVerifies(BootstrapBridge.bridgeClassFile());
        byte[] lookup = BootstrapBridge.lookupClassFile();
        assertVerifies(lookup);
        Class<?> c = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(null, lookup, 0, lookup.length);
            }
        }.define();
        java.lang.invoke.MethodHandles.Lookup l = (java.lang.invoke.MethodHandles.Lookup) c.getMethod("lookup")
                .invoke(null);
        assertEquals(c, l.lookupClass());
        assertTrue(!c.getModule().isNamed() && c.getModule() != getClass().getModule(),
                "its module is an unnamed module of its own");
    }

    private static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    private static void assertVerifies(byte[] classFile) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(classFile), ProcessClassRewriterTest.class.getClassLoader(), false,
                new PrintWriter(problems));
        assertEquals("", problems.toString());
    }

    /** {@code method:field} for each read of a bridge field; the hooks read their field twice. */
    private static List<String> bridgeReads(byte[] classFile) {
        List<String> reads = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        String read = name + ":" + field;
                        if (owner.equals("java/lang/ExecGuardBridge") && !reads.contains(read)) {
                            reads.add(read);
                        }
                    }
                };
            }
        }, 0);
        return reads;
    }
}
