package io.execguard.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.inspect.ArmAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The e_machine / class / byte order to OCI platform table of exec-failures.md, and how each kernel reads ELF. */
class ElfMachinesTest {
    @ParameterizedTest(name = "e_machine {0}, 64-bit {1}, MSB {2} -> {3}")
    @CsvSource({
        "62, true, false, linux/amd64",
        "3, false, false, linux/386",
        "6, false, false, linux/386",
        "183, true, false, linux/arm64",
        "40, false, false, linux/arm",
        "21, true, false, linux/ppc64le",
        "21, true, true, linux/ppc64",
        "22, true, true, linux/s390x",
        "243, true, false, linux/riscv64",
        "8, true, false, linux/mips64le",
        "258, true, false, linux/loong64",
    })
    void ociPlatforms(int machine, boolean is64, boolean msb, String platform) {
        assertEquals(platform, ElfMachines.platform(machine, is64, msb, null).orElseThrow().toString());
    }

    @Test
    void armVariants() {
        assertEquals("linux/arm/v7", ElfMachines.platform(40, false, false, "v7").orElseThrow().toString());
        assertEquals("v5", ArmAttributes.variant(4).orElseThrow());
        assertEquals("v6", ArmAttributes.variant(6).orElseThrow());
        assertEquals("v6", ArmAttributes.variant(9).orElseThrow());
        assertEquals("v7", ArmAttributes.variant(10).orElseThrow());
        assertEquals("v8", ArmAttributes.variant(14).orElseThrow());
        assertTrue(ArmAttributes.variant(0).isEmpty());
        assertTrue(ElfMachines.platform(12345, true, false, null).isEmpty());
        assertEquals("machine 12345", ElfMachines.name(12345));
    }

    @Test
    void kernelAbis() {
        KernelAbi amd64 = KernelAbi.of(Platform.parse("linux/amd64")).orElseThrow();
        assertTrue(amd64.acceptsNative(62, 1), "x86-64 does not check EI_CLASS");
        assertTrue(amd64.acceptsCompat(3) && amd64.acceptsCompat(6));
        assertFalse(amd64.acceptsNative(183, 2));
        KernelAbi riscv = KernelAbi.of(Platform.parse("linux/riscv64")).orElseThrow();
        assertFalse(riscv.acceptsNative(243, 1), "riscv checks EI_CLASS");
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN, KernelAbi.of(Platform.parse("linux/s390x")).orElseThrow().order());
        assertTrue(KernelAbi.of(Platform.parse("windows/amd64")).isEmpty());
        assertEquals("x86_64", Platform.parse("linux/amd64").kernelArchitecture());
        assertEquals("aarch64", Platform.parse("linux/arm64").kernelArchitecture());
    }
}
