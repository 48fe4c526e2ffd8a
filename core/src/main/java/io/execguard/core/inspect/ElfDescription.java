package io.execguard.core.inspect;

import io.execguard.core.platform.ElfMachines;
import io.execguard.core.platform.Platform;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What an ELF file says about itself, decoded the way its e_ident declares (class, byte order): type, machine, the
 * OCI platform it is built for (with the ARM level from {@code .ARM.attributes} when it lies within the read budget),
 * its PT_INTERP loader and libc flavour. For describing files; whether execve accepts them is the engine's business.
 * Immutable.
 */
public final class ElfDescription {
    private static final int EF_ARM_ABI_FLOAT_HARD = 0x400;
    private static final int MAX_SECTION_TABLE = 16 * 1024;
    private static final int MAX_ATTRIBUTES_SECTION = 4 * 1024;

    private final ElfHeader header;
    private final String interpreter;
    private final String armVariant;

    private ElfDescription(ElfHeader header, String interpreter, String armVariant) {
        this.header = header;
        this.interpreter = interpreter;
        this.armVariant = armVariant;
    }

    /** Describes the ELF file behind {@code reader}; never fails: what cannot be read stays absent. */
    public static ElfDescription describe(BoundedReader reader) {
        ElfHeader h = ElfHeader.parseDeclared(reader.kernelBuffer());
        String interpreter = null;
        String variant = null;
        try {
            interpreter = interpreter(reader, h).orElse(null);
            if (h.machine() == ElfMachines.EM_ARM && !h.is64()) {
                variant = armVariant(reader, h).orElse(null);
            }
        } catch (IOException e) {
            // Unreadable or over budget: the description simply lacks what it could not read.
        }
        return new ElfDescription(h, interpreter, variant);
    }

    /** The program headers in the declared layout, if they are sane and readable. */
    static Optional<List<ProgramHeader>> programHeaders(BoundedReader reader, ElfHeader h) throws IOException {
        long size = (long) h.phentsize() * h.phnum();
        if (h.phentsize() != h.expectedPhentsize() || size == 0 || size > 65536 || h.phoff() < 0) {
            return Optional.empty();
        }
        byte[] b = reader.read(h.phoff(), (int) size);
        if (b.length != size) {
            return Optional.empty();
        }
        return Optional.of(ProgramHeader.parseAll(b, h.phnum(), h.is64(), h.order()));
    }

    private static Optional<String> interpreter(BoundedReader reader, ElfHeader h) throws IOException {
        Optional<List<ProgramHeader>> phdrs = programHeaders(reader, h);
        if (phdrs.isEmpty()) {
            return Optional.empty();
        }
        for (ProgramHeader p : phdrs.get()) {
            if (p.type() == ProgramHeader.PT_INTERP) {
                if (p.filesz() < 2 || p.filesz() > 4096 || p.offset() < 0) {
                    return Optional.empty();
                }
                byte[] b = reader.read(p.offset(), (int) p.filesz());
                return Optional.of(cString(b));
            }
        }
        return Optional.empty();
    }

    /** The bytes up to the first NUL, as UTF-8. */
    public static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static Optional<String> armVariant(BoundedReader reader, ElfHeader h) throws IOException {
        int entsize = h.shentsize();
        long tableSize = (long) entsize * h.shnum();
        if (entsize != 40 || tableSize == 0 || tableSize > MAX_SECTION_TABLE || h.shoff() <= 0
                || tableSize > reader.remainingBudget()) {
            return Optional.empty();
        }
        byte[] table = reader.read(h.shoff(), (int) tableSize);
        ByteOrder o = h.order();
        for (int i = 0; i + 40 <= table.length; i += 40) {
            if ((int) Bytes.u32(table, i + 4, o) != ArmAttributes.SHT_ARM_ATTRIBUTES) {
                continue;
            }
            long offset = Bytes.u32(table, i + 16, o);
            long size = Bytes.u32(table, i + 20, o);
            if (size == 0 || size > MAX_ATTRIBUTES_SECTION || size > reader.remainingBudget()) {
                return Optional.empty();
            }
            return ArmAttributes.cpuArch(reader.read(offset, (int) size), o).flatMap(ArmAttributes::variant);
        }
        return Optional.empty();
    }

    /** The header as the file declares it. */
    public ElfHeader header() {
        return header;
    }

    /** {@code ELF32} / {@code ELF64}. */
    public String elfClass() {
        return header.className();
    }

    /** {@code LSB} / {@code MSB}. */
    public String data() {
        return header.dataName();
    }

    /** {@code EXEC}, {@code DYN}, {@code REL}, {@code CORE}... */
    public String type() {
        return header.typeName();
    }

    /** The machine's short name, e.g. {@code x86-64}. */
    public String machine() {
        return ElfMachines.name(header.machine());
    }

    /** The OCI platform the file is built for, when the machine, class and byte order name one. */
    public Optional<Platform> platform() {
        return ElfMachines.platform(header.machine(), header.identClass() == 2, header.identData() == 2, armVariant);
    }

    /** The PT_INTERP path, when present and readable. */
    public Optional<String> interpreter() {
        return Optional.ofNullable(interpreter);
    }

    /** The ARM level (v5..v8) from {@code .ARM.attributes}. */
    public Optional<String> armVariant() {
        return Optional.ofNullable(armVariant);
    }

    /** True for 32-bit ARM binaries using the hard-float ABI (armhf). */
    public boolean armHardFloat() {
        return header.machine() == ElfMachines.EM_ARM && (header.flags() & EF_ARM_ABI_FLOAT_HARD) != 0;
    }

    /** {@code glibc}, {@code musl}, {@code nix}, {@code static} or {@code other}, from the loader path. */
    public String libc() {
        return libcOf(interpreter);
    }

    /** The libc flavour a PT_INTERP path implies ({@code static} when there is none). */
    public static String libcOf(String interpreter) {
        if (interpreter == null) {
            return "static";
        }
        if (interpreter.startsWith("/nix/store/")) {
            return "nix";
        }
        String base = interpreter.substring(interpreter.lastIndexOf('/') + 1);
        if (base.startsWith("ld-musl-")) {
            return "musl";
        }
        if (base.startsWith("ld-linux") || base.startsWith("ld64.so") || base.equals("ld.so.1")) {
            return "glibc";
        }
        return "other";
    }

    /** A short phrase such as {@code ELF 64-bit LSB executable for AArch64}. */
    public String phrase() {
        String bits = header.identClass() == 1 ? "32-bit" : header.identClass() == 2 ? "64-bit" : elfClass();
        return "ELF " + bits + " " + data() + " " + typePhrase(header.type(), interpreter != null) + " for " + machine();
    }

    private static String typePhrase(int type, boolean hasInterpreter) {
        switch (type) {
            case ElfHeader.ET_EXEC:
                return "executable";
            case ElfHeader.ET_DYN:
                return hasInterpreter ? "PIE executable" : "static-PIE executable or shared object";
            case ElfHeader.ET_REL:
                return "relocatable object";
            case ElfHeader.ET_CORE:
                return "core dump";
            default:
                return "file of type " + ElfHeader.typeName(type);
        }
    }

    @Override
    public String toString() {
        return phrase() + platform().map(p -> " (" + p + ")").orElse("") + " libc=" + libc();
    }
}
