package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnameTest {
    @Test
    void agreesWithProcfs() throws Exception {
        Uname u = Uname.current();
        assertEquals("Linux", u.sysname());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), u.release());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), u.nodename());
        String arch = System.getProperty("os.arch");
        assertEquals(arch.equals("amd64") ? "x86_64" : arch, u.machine());
    }

    @Test
    void errnoNamesAreLinuxs() {
        assertEquals(Optional.of("ENOEXEC"), LinuxErrno.name(8));
        assertEquals(Optional.of(105), LinuxErrno.number("ENOBUFS"));
        assertEquals(Optional.of(11), LinuxErrno.number("EWOULDBLOCK"));
        assertEquals("errno 4000", LinuxErrno.describe(4000));
        assertEquals(Optional.empty(), LinuxErrno.name(0));
    }
}
