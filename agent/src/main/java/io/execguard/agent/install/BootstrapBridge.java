package io.execguard.agent.install;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;

/**
 * Defines {@value #NAME}, the only class the agent adds to the bootstrap class loader: two static fields through
 * which the advice inlined into {@code java.base} reaches the agent. Holding the hooks in a class of our own (rather
 * than, say, a system property) keeps them invisible to the application and typed.
 *
 * <p>How, without writing a jar to disk (read-only root file systems) and without widening what the application
 * can reflect on: {@code java.base} opens {@code java.lang} to a module of our own only - the unnamed module of a
 * throw-away class loader holding one tiny class - whose private lookup then defines the bridge in
 * {@code java.lang}. Both class files are written here by hand (a few dozen bytes each): that keeps Byte Buddy out
 * of this step, which matters for how soon the first exec can go ahead. Works the same on JDK 11 to 25.
 */
final class BootstrapBridge {
    static final String NAME = "java.lang.ExecGuardBridge";
    static final String BEFORE_START = "beforeStart";
    static final String AFTER_FAILURE = "afterFailure";
    private static final String LOOKUP_CLASS = "io/execguard/agent/install/IsolatedLookup";
    /** Java 5 class files need no stack map frames, which keeps the hand-written code trivial. */
    private static final int CLASS_FILE_VERSION = 49;
    private static final int ACC_PUBLIC = 0x0001;
    private static final int ACC_STATIC = 0x0008;
    private static final int ACC_FINAL = 0x0010;
    private static final int ACC_SUPER = 0x0020;
    private static final int ACC_VOLATILE = 0x0040;

    private BootstrapBridge() {
    }

    /**
     * Defines the bridge class.
     *
     * @throws IllegalStateException when a bridge already exists: another copy of the agent is active
     */
    static Class<?> define(Instrumentation instrumentation) throws Exception {
        if (exists()) {
            throw new IllegalStateException("another execguard agent is already active in this JVM");
        }
        MethodHandles.Lookup isolated = isolatedLookup();
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(isolated.lookupClass().getModule())), Set.of(), Map.of());
        return MethodHandles.privateLookupIn(Object.class, isolated).defineClass(bridgeClassFile());
    }

    private static boolean exists() {
        try {
            Class.forName(NAME, false, null);
            return true;
        } catch (ClassNotFoundException expected) {
            return false;
        }
    }

    /** A full-privilege lookup in a class of a fresh class loader, whose unnamed module nothing else shares. */
    private static MethodHandles.Lookup isolatedLookup() throws Exception {
        Class<?> type = new IsolatedLoader(BootstrapBridge.class.getClassLoader()).define(lookupClassFile());
        return (MethodHandles.Lookup) type.getMethod("lookup").invoke(null);
    }

    /** {@code public final class java.lang.ExecGuardBridge { public static volatile BiFunction beforeStart; ... }}. */
    static byte[] bridgeClassFile() throws IOException {
        ConstantPool cp = new ConstantPool();
        int thisClass = cp.classRef(NAME.replace('.', '/'));
        int superClass = cp.classRef("java/lang/Object");
        int before = cp.utf8(BEFORE_START);
        int beforeType = cp.utf8("Ljava/util/function/BiFunction;");
        int after = cp.utf8(AFTER_FAILURE);
        int afterType = cp.utf8("Ljava/util/function/BiConsumer;");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = header(bytes, cp, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, thisClass, superClass);
        out.writeShort(2);
        for (int[] field : new int[][] {{before, beforeType}, {after, afterType}}) {
            out.writeShort(ACC_PUBLIC | ACC_STATIC | ACC_VOLATILE);
            out.writeShort(field[0]);
            out.writeShort(field[1]);
            out.writeShort(0);
        }
        out.writeShort(0); // methods
        out.writeShort(0); // attributes
        return bytes.toByteArray();
    }

    /** {@code public class IsolatedLookup { public static Lookup lookup() { return MethodHandles.lookup(); } }}. */
    static byte[] lookupClassFile() throws IOException {
        ConstantPool cp = new ConstantPool();
        int thisClass = cp.classRef(LOOKUP_CLASS);
        int superClass = cp.classRef("java/lang/Object");
        int name = cp.utf8("lookup");
        int descriptor = cp.utf8("()Ljava/lang/invoke/MethodHandles$Lookup;");
        int method = cp.methodRef(cp.classRef("java/lang/invoke/MethodHandles"), name, descriptor);
        int code = cp.utf8("Code");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = header(bytes, cp, ACC_PUBLIC | ACC_SUPER, thisClass, superClass);
        out.writeShort(0); // fields
        out.writeShort(1); // methods
        out.writeShort(ACC_PUBLIC | ACC_STATIC);
        out.writeShort(name);
        out.writeShort(descriptor);
        out.writeShort(1);
        out.writeShort(code);
        out.writeInt(16);
        out.writeShort(1); // max stack
        out.writeShort(0); // max locals
        out.writeInt(4);
        out.writeByte(0xB8); // invokestatic
        out.writeShort(method);
        out.writeByte(0xB0); // areturn
        out.writeShort(0); // exception table
        out.writeShort(0); // code attributes
        out.writeShort(0); // class attributes
        return bytes.toByteArray();
    }

    private static DataOutputStream header(ByteArrayOutputStream bytes, ConstantPool cp, int access, int thisClass,
                                           int superClass) throws IOException {
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(CLASS_FILE_VERSION);
        cp.writeTo(out);
        out.writeShort(access);
        out.writeShort(thisClass);
        out.writeShort(superClass);
        out.writeShort(0); // interfaces
        return out;
    }

    /** Just enough of a class file constant pool for the two classes above. */
    private static final class ConstantPool {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private int count = 1;

        int utf8(String value) throws IOException {
            out.writeByte(1);
            out.writeUTF(value);
            return count++;
        }

        int classRef(String internalName) throws IOException {
            int name = utf8(internalName);
            out.writeByte(7);
            out.writeShort(name);
            return count++;
        }

        int methodRef(int owner, int name, int descriptor) throws IOException {
            out.writeByte(12);
            out.writeShort(name);
            out.writeShort(descriptor);
            int nameAndType = count++;
            out.writeByte(10);
            out.writeShort(owner);
            out.writeShort(nameAndType);
            return count++;
        }

        void writeTo(DataOutputStream target) throws IOException {
            target.writeShort(count);
            bytes.writeTo(target);
        }
    }

    /** Defines the one class whose module {@code java.lang} is opened to. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(byte[] classFile) {
            return defineClass(null, classFile, 0, classFile.length);
        }
    }
}
