package io.execguard.core.inspect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.platform.BinfmtMisc;
import io.execguard.core.platform.CompatSupport;
import io.execguard.core.platform.Credentials;
import io.execguard.core.platform.HostFacts;
import io.execguard.core.platform.Platform;
import io.execguard.core.testing.ElfBuilder;
import io.execguard.core.testing.MemoryFileTree;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated ELF headers, {@code #!} lines and byte soups: the engine never throws, never hangs, and never
 * reads more than {@link BoundedReader#MAX_BYTES} of a file (counted by {@link MemoryFileTree}).
 */
class InspectionBoundPropertiesTest {
    private static final List<byte[]> BASES = List.of(
            ElfBuilder.x86_64().build(),
            ElfBuilder.x86_64().interpreter("/lib/ld.so").build(),
            ElfBuilder.i386().interpreter("/lib/ld.so").build(),
            ElfBuilder.foreign(183, true, false).build(),
            ElfBuilder.foreign(40, false, false).build(),
            ElfBuilder.foreign(22, true, true).build(),
            ElfBuilder.x86_64().type(3).segment(1, 6, 0x2000, 0x402000, 0x10, 0x1000).build());

    private static final DiagnosisEngine ENGINE = DiagnosisEngine.create(HostFacts.of(Platform.parse("linux/amd64"),
            CompatSupport.of(true, "test"), BinfmtMisc.none(), Credentials.privileged()), new MemoryFileTree());

    @Provide
    Arbitrary<byte[]> mutatedElf() {
        Arbitrary<Integer> base = Arbitraries.integers().between(0, BASES.size() - 1);
        Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> mutations = Combinators.combine(
                Arbitraries.integers().between(0, 600), Arbitraries.integers().between(0, 255))
                .as(Tuple::of).list().ofMaxSize(16);
        Arbitrary<Integer> cut = Arbitraries.integers().between(-1, 700);
        return Combinators.combine(base, mutations, cut).as((b, m, c) -> {
            byte[] bytes = BASES.get(b).clone();
            for (Tuple.Tuple2<Integer, Integer> t : m) {
                if (t.get1() < bytes.length) {
                    bytes[t.get1()] = (byte) (int) t.get2();
                }
            }
            return c < 0 || c >= bytes.length ? bytes : Arrays.copyOf(bytes, c);
        });
    }

    @Property(tries = 1500)
    void mutatedElfHeaders(@ForAll("mutatedElf") byte[] file) {
        judge(file);
    }

    @Property(tries = 500)
    void randomElfHeaders(@ForAll @Size(max = 800) byte[] tail) {
        byte[] file = new byte[4 + tail.length];
        file[0] = 0x7f;
        file[1] = 'E';
        file[2] = 'L';
        file[3] = 'F';
        System.arraycopy(tail, 0, file, 4, tail.length);
        judge(file);
    }

    @Provide
    Arbitrary<String> shebangLine() {
        Arbitrary<Character> c = Arbitraries.of(' ', '\t', '\r', '\n', '\0', '/', 'a', 'b', 's', 'h', '-', '.', 'e',
                '#', '!', '\u00e9');
        return c.list().ofMaxSize(400).map(l -> {
            StringBuilder b = new StringBuilder("#!");
            l.forEach(b::append);
            return b.toString();
        });
    }

    @Property(tries = 1500)
    void randomShebangLines(@ForAll("shebangLine") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ShebangLine line = ShebangLine.parse(Arrays.copyOf(bytes, 256));
        if (line.status() == ShebangLine.Status.OK) {
            String i = line.interpreter().orElseThrow();
            assertFalse(i.contains(" ") || i.contains("\t") || i.contains("\n") || i.contains("\0"), i);
            line.argument().ifPresent(a -> assertFalse(a.startsWith(" ") || a.contains("\n"), a));
        }
        judge(bytes);
    }

    @Property(tries = 500)
    void randomBytes(@ForAll @Size(max = 1200) byte[] file) {
        judge(file);
    }

    @Example
    void hugeFilesAreReadWithinTheBound() {
        byte[] header = ElfBuilder.x86_64().phnum(70).phoff(1L << 40).build();
        MemoryFileTree tree = new MemoryFileTree().file("/huge", new MemoryFileTree.Content() {
            @Override
            public long size() {
                return 1L << 42;
            }

            @Override
            public int byteAt(long position) {
                return position < header.length ? header[(int) position] & 0xff : 'A';
            }
        }, 0755);
        diagnose(tree, "/huge");
        assertTrue(tree.mostReadFromOneOpen() <= BoundedReader.MAX_BYTES, "read " + tree.mostReadFromOneOpen());
    }

    private static void judge(byte[] file) {
        MemoryFileTree tree = new MemoryFileTree()
                .file("/f", file, 0755)
                .file("/lib/ld.so", BASES.get(0), 0755)
                .file("/bin/sh", BASES.get(0), 0755);
        Diagnosis d = diagnose(tree, "/f");
        assertFalse(d.summary().contains("could not be inspected"), d::toString);
        assertTrue(tree.mostReadFromOneOpen() <= BoundedReader.MAX_BYTES, "read " + tree.mostReadFromOneOpen());
        assertTrue(tree.lowestPosition() >= 0, "read at a negative position");
    }

    private static Diagnosis diagnose(MemoryFileTree tree, String path) {
        Diagnosis d = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> ENGINE.diagnose(DiagnosisRequest.builder(path).tree(tree).build()));
        assertNotNull(d.cause());
        return d;
    }
}
