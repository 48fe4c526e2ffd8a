package io.execguard.sidecar.audit.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRuleCodecTest {
    @Test
    void execFailureRuleHasTheDocumentedWireLayout() {
        AuditRule rule = AuditRules.execFailure(AuditArch.X86_64, "ENOEXEC", "execguard");
        ByteBuffer b = ByteBuffer.wrap(AuditRuleCodec.encode(rule)).order(ByteOrder.nativeOrder());
        assertEquals(1040 + "execguard".length(), b.limit());
        assertEquals(4, b.getInt(0), "AUDIT_FILTER_EXIT");
        assertEquals(2, b.getInt(4), "AUDIT_ALWAYS");
        assertEquals(3, b.getInt(8), "field count");
        assertEquals(1 << (59 - 32), b.getInt(12 + 4), "execve = 59 in word 1");
        assertEquals(1 << (322 % 32), b.getInt(12 + 4 * (322 / 32)), "execveat = 322");
        int fields = 12 + 256;
        assertEquals(List.of(11, 103, 210), List.of(b.getInt(fields), b.getInt(fields + 4), b.getInt(fields + 8)));
        int values = fields + 256;
        assertEquals(0xC000003E, b.getInt(values));
        assertEquals(-8, b.getInt(values + 4));
        assertEquals(9, b.getInt(values + 8), "key length");
        int ops = values + 256;
        assertEquals(0x40000000, b.getInt(ops));
        assertEquals(9, b.getInt(ops + 256), "buflen");
        byte[] key = Arrays.copyOfRange(b.array(), ops + 260, ops + 269);
        assertEquals("execguard", new String(key, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void decodeReversesEncode() {
        for (String line : List.of(
                "-a always,exit -F arch=b32 -S execve -F exit=-EACCES -F success=0 -F key=a -F key=second",
                "-a never,exit -F arch=b64 -S all -F uid=0 -F exe=/usr/bin/ls -F key=k",
                "-w /etc/hostname -p wa -k k")) {
            AuditRule rule = AuditRuleSyntax.parse(line);
            assertEquals(rule, AuditRuleCodec.decode(ByteBuffer.wrap(AuditRuleCodec.encode(rule))));
        }
    }

    @Test
    void truncatedOrGarbageDataIsRejectedWithAReason() {
        byte[] wire = AuditRuleCodec.encode(AuditRules.execFailure(AuditArch.X86_64, "ENOEXEC", "execguard"));
        assertThrows(IllegalArgumentException.class,
                () -> AuditRuleCodec.decode(ByteBuffer.wrap(Arrays.copyOf(wire, wire.length - 3))));
        assertThrows(IllegalArgumentException.class, () -> AuditRuleCodec.decode(ByteBuffer.wrap(new byte[12])
                .putInt(0, 99)));
        assertThrows(IllegalArgumentException.class, () -> AuditRuleCodec.decode(ByteBuffer.allocate(40)));
    }
}
