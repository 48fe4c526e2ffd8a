package io.execguard.core.diagnose;

import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.inspect.FileSignature;
import java.io.IOException;
import java.util.Map;

/**
 * Files no kernel handler claims (execve: ENOEXEC), named by what they are: foreign executables, archives, compressed
 * data, documents, and text whose {@code #!} is missing, misplaced or hidden behind a byte order mark.
 */
final class ContentCheck {
    private ContentCheck() {
    }

    static Verdict check(String path, BoundedReader r) throws IOException {
        FileSignature s = FileSignature.detect(r);
        Map<String, String> d = s.details();
        Verdict v = verdict(path, s, d);
        Evidence.Builder b = Evidence.builder();
        d.forEach(b::put);
        String group = s.kind() == FileSignature.Kind.PE || s.kind() == FileSignature.Kind.MACH_O
                || s.kind() == FileSignature.Kind.MACH_O_UNIVERSAL ? Evidence.FOREIGN : "content";
        return v.evidence(group, b.build());
    }

    private static Verdict verdict(String path, FileSignature s, Map<String, String> d) {
        switch (s.kind()) {
            case EMPTY:
                return Verdict.of(Cause.EMPTY_FILE, path + " is empty (0 bytes).");
            case PE:
                return Verdict.of(Cause.WINDOWS_EXECUTABLE, path + " is a Windows " + d.get("format") + " executable"
                        + machine(d) + ", which Linux cannot run.");
            case MACH_O:
            case MACH_O_UNIVERSAL:
                return Verdict.of(Cause.MACOS_EXECUTABLE, path + " is a macOS " + d.get("format") + " executable"
                        + machine(d) + ", which Linux cannot run.");
            case JAVA_CLASS:
                return Verdict.of(Cause.JAVA_CLASS, path + " is a compiled Java class (class file version "
                        + d.get("class_version") + "), not a native program.");
            case ZIP:
            case TAR:
                return Verdict.of(Cause.ARCHIVE, path + " is a " + d.get("format") + " archive, not a program.");
            case JAR:
                return Verdict.of(Cause.ARCHIVE, path + " is a Java archive (jar), not a native program.")
                        .remediation("Run it with java -jar " + path + ", or through its start script.");
            case GZIP:
            case XZ:
            case ZSTD:
            case BZIP2:
                return Verdict.of(Cause.COMPRESSED, path + " is " + d.get("format") + "-compressed data, not a "
                        + "program: it must be decompressed first.");
            case WASM:
                return Verdict.of(Cause.WASM_MODULE, path + " is a WebAssembly module, which the kernel cannot run "
                        + "without a registered runtime.");
            case PYTHON_BYTECODE:
                return Verdict.of(Cause.PYTHON_BYTECODE, path + " is compiled Python bytecode (.pyc), not a program.");
            case GIT_LFS_POINTER:
                return Verdict.of(Cause.GIT_LFS_POINTER, path + " is a Git LFS pointer file" + lfsSize(d)
                        + ", not the binary it stands for: the checkout did not fetch LFS objects.");
            case HTML:
                return Verdict.of(Cause.HTML_DOCUMENT, path + " is an HTML page, typically an error or login page "
                        + "saved by a failed download.");
            case XML:
            case JSON:
                return Verdict.of(Cause.DATA_DOCUMENT, path + " is a " + d.get("format") + " document, not a program.");
            case UTF8_BOM_SCRIPT:
                return Verdict.of(Cause.SHEBANG_BOM, path + " starts with a UTF-8 byte order mark (EF BB BF) before "
                        + "#!, so the kernel does not see the #! line.");
            case UTF16_TEXT:
                return Verdict.of(Cause.SHEBANG_UTF16, path + " is encoded as " + d.get("encoding")
                        + ("true".equals(d.get("shebang")) ? "; its #! line is unreadable to the kernel."
                        : ", which the kernel cannot read as a script."));
            case SHEBANG_NOT_FIRST:
                return Verdict.of(Cause.SHEBANG_NOT_FIRST, path + " has its #! on line " + d.get("line")
                        + " or mistyped, not as the very first two bytes of the file, so the kernel does not see it.");
            case TEXT:
                return Verdict.of(Cause.SHEBANG_MISSING, path + " is a text file without a #! line: execve refuses "
                        + "it (shells and Java on glibc silently run it with /bin/sh instead).");
            case ZEROS:
                return Verdict.of(Cause.UNKNOWN_FORMAT, path + " contains only zero bytes at its start, typically an "
                        + "incomplete copy or a sparse file.")
                        .remediation("Fetch or build the file again and verify its checksum.");
            default:
                return Verdict.of(Cause.UNKNOWN_FORMAT, path + " is binary data in no format this kernel can execute.");
        }
    }

    private static String machine(Map<String, String> d) {
        String m = d.get("machine");
        return m == null || m.isEmpty() ? "" : " for " + m;
    }

    private static String lfsSize(Map<String, String> d) {
        String size = d.get("size");
        return size == null ? "" : " (the real file has " + size + " bytes)";
    }
}
