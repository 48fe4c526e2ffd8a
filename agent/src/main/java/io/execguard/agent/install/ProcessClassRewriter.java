package io.execguard.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Adds the two exec hooks to the JDK's process classes, changing method bodies only (no new members), as
 * retransformation requires. The hooks are a handful of instructions each - the hand-written equivalent of inlined
 * advice with {@code suppress = Throwable.class} - and reach the agent only through the static fields of the
 * {@linkplain BootstrapBridge bootstrap bridge}, the one agent class that code in {@code java.base} can see:
 *
 * <pre>
 * // at the start of static ProcessImpl.start(String[] cmdarray, Map env, String dir, Redirect[] r, boolean b)
 * Object refusal = null;
 * try { if (ExecGuardBridge.beforeStart != null) refusal = ExecGuardBridge.beforeStart.apply(cmdarray, dir); }
 * catch (Throwable ignored) { }
 * if (refusal != null) throw (Throwable) refusal;   // ProcessBuilder wraps it like any exec error
 *
 * // around the body of private ProcessBuilder.start(Redirect[])
 * try { ...original body... }
 * catch (Throwable t) {
 *     try { if (ExecGuardBridge.afterFailure != null) ExecGuardBridge.afterFailure.accept(this, t); }
 *     catch (Throwable ignored) { }
 *     throw t;                                       // the same exception, never a different one
 * }
 * </pre>
 *
 * Written with plain ASM rather than Byte Buddy's {@code Advice}: the result is the same, but loading and warming up
 * Byte Buddy costs most of a second of CPU, which the first exec of a freshly started JVM would have to wait for.
 * Stack map frames are written explicitly, so ASM never has to load classes to compute them (loading a class from
 * inside a class file transformer can deadlock).
 */
final class ProcessClassRewriter implements ClassRewriter {
    private static final String BRIDGE = BootstrapBridge.NAME.replace('.', '/');
    private static final String BI_FUNCTION = "java/util/function/BiFunction";
    private static final String BI_CONSUMER = "java/util/function/BiConsumer";
    private static final String THROWABLE = "java/lang/Throwable";
    static final String PROCESS_IMPL_START =
            "([Ljava/lang/String;Ljava/util/Map;Ljava/lang/String;[Ljava/lang/ProcessBuilder$Redirect;Z)"
                    + "Ljava/lang/Process;";
    static final String PROCESS_BUILDER_START = "([Ljava/lang/ProcessBuilder$Redirect;)Ljava/lang/Process;";

    @Override
    public byte[] rewrite(String internalName, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        HookingVisitor visitor = new HookingVisitor(writer, internalName);
        reader.accept(visitor, 0);
        return visitor.hooked ? writer.toByteArray() : null;
    }

    /** Finds the one method to hook in each class; everything else is copied unchanged. */
    private static final class HookingVisitor extends ClassVisitor {
        private final String className;
        boolean hooked;

        HookingVisitor(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (!"start".equals(name) || mv == null) {
                return mv;
            }
            if (DeferredTransformer.PROCESS_IMPL.equals(className) && PROCESS_IMPL_START.equals(descriptor)
                    && (access & Opcodes.ACC_STATIC) != 0) {
                hooked = true;
                return new BeforeStartHook(mv);
            }
            if (DeferredTransformer.PROCESS_BUILDER.equals(className) && PROCESS_BUILDER_START.equals(descriptor)
                    && (access & Opcodes.ACC_STATIC) == 0) {
                hooked = true;
                return new AfterFailureHook(mv);
            }
            return mv;
        }
    }

    /** Calls {@code beforeStart(cmdarray, dir)} first and throws what it returns, if anything. */
    static final class BeforeStartHook extends MethodVisitor {
        private static final int STACK = 3;

        BeforeStartHook(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label hookFailed = new Label();
            Label noRefusal = new Label();
            Label original = new Label();
            visitTryCatchBlock(tryStart, tryEnd, hookFailed, THROWABLE);
            visitLabel(tryStart);
            visitFieldInsn(Opcodes.GETSTATIC, BRIDGE, BootstrapBridge.BEFORE_START, "L" + BI_FUNCTION + ";");
            visitJumpInsn(Opcodes.IFNULL, original);
            visitFieldInsn(Opcodes.GETSTATIC, BRIDGE, BootstrapBridge.BEFORE_START, "L" + BI_FUNCTION + ";");
            visitVarInsn(Opcodes.ALOAD, 0);
            visitVarInsn(Opcodes.ALOAD, 2);
            visitMethodInsn(Opcodes.INVOKEINTERFACE, BI_FUNCTION, "apply",
                    "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", true);
            visitLabel(tryEnd);
            visitInsn(Opcodes.DUP);
            visitJumpInsn(Opcodes.IFNULL, noRefusal);
            visitTypeInsn(Opcodes.CHECKCAST, THROWABLE);
            visitInsn(Opcodes.ATHROW);
            visitLabel(hookFailed);
            visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {THROWABLE});
            visitInsn(Opcodes.POP);
            visitJumpInsn(Opcodes.GOTO, original);
            visitLabel(noRefusal);
            visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
            visitInsn(Opcodes.POP);
            visitLabel(original);
            visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            // Keeps a frame the original code may have at its first instruction off our frame's offset.
            visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, STACK), maxLocals);
        }
    }

    /** Wraps the body in a catch-all that calls {@code afterFailure(this, t)} and rethrows {@code t}. */
    static final class AfterFailureHook extends MethodVisitor {
        private static final int STACK = 3;
        private final Label bodyStart = new Label();

        AfterFailureHook(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            visitLabel(bodyStart);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            int slot = maxLocals;
            Label handler = new Label();
            Label callStart = new Label();
            Label callEnd = new Label();
            Label callFailed = new Label();
            Label rethrow = new Label();
            // Registered last, so the method's own handlers keep precedence inside the body.
            visitTryCatchBlock(bodyStart, handler, handler, THROWABLE);
            visitTryCatchBlock(callStart, callEnd, callFailed, THROWABLE);
            Object[] thisOnly = {"java/lang/ProcessBuilder"};
            Object[] withThrown = localsWithThrown(slot);
            visitLabel(handler);
            visitFrame(Opcodes.F_FULL, thisOnly.length, thisOnly, 1, new Object[] {THROWABLE});
            visitVarInsn(Opcodes.ASTORE, slot);
            visitLabel(callStart);
            visitFieldInsn(Opcodes.GETSTATIC, BRIDGE, BootstrapBridge.AFTER_FAILURE, "L" + BI_CONSUMER + ";");
            visitJumpInsn(Opcodes.IFNULL, rethrow);
            visitFieldInsn(Opcodes.GETSTATIC, BRIDGE, BootstrapBridge.AFTER_FAILURE, "L" + BI_CONSUMER + ";");
            visitVarInsn(Opcodes.ALOAD, 0);
            visitVarInsn(Opcodes.ALOAD, slot);
            visitMethodInsn(Opcodes.INVOKEINTERFACE, BI_CONSUMER, "accept",
                    "(Ljava/lang/Object;Ljava/lang/Object;)V", true);
            visitLabel(callEnd);
            visitLabel(rethrow);
            visitFrame(Opcodes.F_FULL, withThrown.length, withThrown, 0, new Object[0]);
            visitVarInsn(Opcodes.ALOAD, slot);
            visitInsn(Opcodes.ATHROW);
            visitLabel(callFailed);
            visitFrame(Opcodes.F_FULL, withThrown.length, withThrown, 1, new Object[] {THROWABLE});
            visitInsn(Opcodes.POP);
            visitJumpInsn(Opcodes.GOTO, rethrow);
            super.visitMaxs(Math.max(maxStack, STACK), slot + 1);
        }

        /** {@code this}, unknown slots up to {@code slot}, then the caught throwable. */
        private static Object[] localsWithThrown(int slot) {
            Object[] locals = new Object[slot + 1];
            locals[0] = "java/lang/ProcessBuilder";
            for (int i = 1; i < slot; i++) {
                locals[i] = Opcodes.TOP;
            }
            locals[slot] = THROWABLE;
            return locals;
        }
    }
}
