package io.execguard.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** mountinfo parsing: escaped paths, optional fields, the mount a path lives on. */
class MountTableTest {
    private static final String INFO = String.join("\n",
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "40 27 0:50 / /tmp rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=1024k",
            "41 40 0:51 / /tmp/my\\040dir rw,noexec,relatime shared:6 master:1 - tmpfs none rw",
            "garbage line",
            "");

    @Test
    void parsesEscapedMountPointsAndOptionalFields() {
        MountTable t = MountTable.parse(INFO);
        assertEquals(3, t.entries().size());
        MountEntry e = t.entries().get(2);
        assertEquals("/tmp/my dir", e.mountPoint());
        assertTrue(e.noexec());
        assertEquals("tmpfs", e.fsType());
        assertEquals("none", e.source());
    }

    @Test
    void findsTheLongestCoveringMount() {
        MountTable t = MountTable.parse(INFO);
        assertEquals("/tmp/my dir", t.find("/tmp/my dir/tool", 0).orElseThrow().mountPoint());
        assertEquals("/tmp", t.find("/tmp/my dirx", 0).orElseThrow().mountPoint());
        assertEquals("/", t.find("/usr/bin/ls", 0).orElseThrow().mountPoint());
        assertFalse(t.find("/tmp/x", 0).orElseThrow().noexec());
    }

    @Test
    void prefersTheMountWhoseDeviceMatches() {
        MountTable t = MountTable.parse(INFO);
        long rootDevice = (254L << 8);
        assertEquals("/", t.find("/tmp/my dir/hidden", rootDevice).orElseThrow().mountPoint());
        assertTrue(t.hasDevice(rootDevice));
    }

    @Test
    void unescapesOctal() {
        assertEquals("a b\tc\\d", MountTable.unescape("a\\040b\\011c\\134d"));
        assertEquals("a\\9", MountTable.unescape("a\\9"));
    }
}
