package io.execguard.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.execguard.core.testing.MemoryFileTree;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Magic numbers and the ambiguous cases (CAFEBABE, MZ text, JSON vs INI, pyc vs text). */
class FileSignatureTest {
    static FileSignature detect(byte[] b) throws Exception {
        MemoryFileTree t = new MemoryFileTree().file("/f", b, 0755);
        try (var f = t.open("/f", "/")) {
            return FileSignature.detect(BoundedReader.open(f));
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void cafebabeIsJavaOrUniversalMachO() throws Exception {
        byte[] java = Arrays.copyOf(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 52}, 32);
        assertEquals(FileSignature.Kind.JAVA_CLASS, detect(java).kind());
        assertEquals("8", detect(java).details().get("java_version"));
        byte[] fat = Arrays.copyOf(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 2,
            0x01, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 0, 0, 12, 0x01, 0, 0, 12}, 64);
        FileSignature s = detect(fat);
        assertEquals(FileSignature.Kind.MACH_O_UNIVERSAL, s.kind());
        assertEquals("x86_64, arm64", s.details().get("machine"));
    }

    @Test
    void textThatLooksLikeMagic() throws Exception {
        assertEquals(FileSignature.Kind.TEXT, detect(ascii("MZ is a fine name for a text file\n")).kind());
        assertEquals(FileSignature.Kind.TEXT, detect(ascii("[section]\nkey=value\n")).kind());
        assertEquals(FileSignature.Kind.JSON, detect(ascii("[{\"a\": 1}]")).kind());
        assertEquals(FileSignature.Kind.TEXT, detect(ascii("ab\r\nsome text\r\n")).kind());
        assertEquals(FileSignature.Kind.HTML, detect(ascii("\n  <HTML><body>x</body></HTML>")).kind());
        assertEquals(FileSignature.Kind.HTML, detect(ascii("<?xml version=\"1.0\"?><html/>")).kind());
    }

    @Test
    void foreignExecutables() throws Exception {
        byte[] pe = new byte[0x100];
        pe[0] = 'M';
        pe[1] = 'Z';
        pe[0x3c] = (byte) 0x80;
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        pe[0x84] = 0x64;
        pe[0x85] = (byte) 0xaa;
        assertEquals("ARM64", detect(pe).details().get("machine"));
        byte[] macho = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 0x0c, 0, 0, 0x01};
        assertEquals("arm64", detect(macho).details().get("machine"));
    }
}
