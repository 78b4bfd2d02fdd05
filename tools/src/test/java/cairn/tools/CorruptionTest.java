package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to one segment is found by check --read-data, makes reads of the data it held fail loudly
 * (never wrong bytes, never a file under its final name), and leaves other snapshots readable.
 */
class CorruptionTest {
    @TempDir
    Path tmp;
    Path repo;
    Path srcA;
    Path srcB;
    String snapA;
    String snapB;
    Path segA;
    byte[] victim;

    @BeforeEach
    void twoSnapshotsInTwoSegments() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        srcA = tmp.resolve("a");
        victim = Files.readAllBytes(Trees.writeRandom(srcA.resolve("victim.bin"), 1, 2_000_000));
        Trees.writeRandom(srcA.resolve("bystander.bin"), 2, 300_000);
        snapA = Cli.backup(repo, srcA);
        Set<Path> afterA = segments();
        assertEquals(1, afterA.size());
        segA = afterA.iterator().next();

        srcB = tmp.resolve("b");
        Trees.writeRandom(srcB.resolve("other.bin"), 3, 1_000_000);
        Files.write(srcB.resolve("note.txt"), "b's own data\n".getBytes());
        snapB = Cli.backup(repo, srcB);
        assertEquals(2, segments().size(), "each backup seals its own segment");
    }

    /** Flips one byte inside victim.bin's stored data (random data is stored raw, so it can be found). */
    private void corruptVictim() throws Exception {
        byte[] seg = Files.readAllBytes(segA);
        byte[] needle = Arrays.copyOfRange(victim, 1_000_000, 1_000_064);
        int at = Trees.indexOf(seg, needle);
        assertTrue(at > 0, "victim.bin's bytes not found in its segment");
        seg[at + 10] ^= 0x40;
        Files.write(segA, seg);
    }

    @Test
    void checkReadDataNamesTheDamagedSegment() throws Exception {
        Cli.expect(0, repo, "check", "--read-data");
        corruptVictim();
        Cli.Result r = Cli.run(repo, "check", "--read-data");
        assertEquals(1, r.code(), r.toString());
        String name = segA.getFileName().toString().replace(".seg", "");
        assertTrue(r.out().contains(name), "check does not name segment " + name + ": " + r);
        String other = segments().stream().filter(p -> !p.equals(segA)).findFirst().orElseThrow()
                .getFileName().toString().replace(".seg", "");
        assertFalse(r.out().contains(other), "check blames the undamaged segment: " + r);
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("cairn: "), r.toString());
    }

    @Test
    void restoringDamagedDataFailsAndLeavesNoFileUnderItsName() throws Exception {
        corruptVictim();
        Path one = Files.createDirectories(tmp.resolve("one"));
        Cli.Result r = Cli.run(repo, "restore", snapA + ":victim.bin", one.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("cairn: "), r.toString());
        assertTrue(r.err().contains(segA.getFileName().toString().replace(".seg", "")),
                "the error should name the segment: " + r.err());
        assertEquals(List.of(), list(one), "a failed restore left files behind");

        Path whole = tmp.resolve("whole");
        Cli.Result w = Cli.run(repo, "restore", snapA, whole.toString());
        assertEquals(1, w.code(), w.toString());
        assertFalse(Files.exists(whole.resolve("victim.bin")), "a damaged file was restored under its real name");
        assertTrue(list(whole).stream().noneMatch(p -> p.getFileName().toString().startsWith(".cairn-restore")),
                "temporary files left: " + list(whole));

        // verify must not accept the damaged snapshot either.
        assertEquals(1, Cli.run(repo, "verify", snapA, srcA.toString()).code());
    }

    @Test
    void otherDataStillRestores() throws Exception {
        corruptVictim();
        // A file of the damaged snapshot in undamaged records of the same segment.
        Path by = tmp.resolve("by");
        Cli.expect(0, repo, "restore", snapA + ":bystander.bin", by.toString());
        assertEquals(Trees.sha256(srcA.resolve("bystander.bin")), Trees.sha256(by));
        // A snapshot whose data is in another segment.
        Path b = tmp.resolve("restored-b");
        Cli.expect(0, repo, "restore", snapB, b.toString());
        assertEquals(Trees.fingerprint(srcB), Trees.fingerprint(b));
        Cli.expect(0, repo, "verify", snapB, srcB.toString());
    }

    @Test
    void aDamagedFooterIsFoundWithoutReadingData() throws Exception {
        byte[] seg = Files.readAllBytes(segA);
        seg[seg.length - 20] ^= 0x01; // inside the trailer
        Files.write(segA, seg);
        Cli.Result r = Cli.run(repo, "check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains(segA.getFileName().toString().replace(".seg", "")), r.toString());
        // Only the index is damaged: the records, each checked against its chunk id, still read.
        Cli.expect(0, repo, "verify", snapA, srcA.toString());
    }

    @Test
    void aMissingSegmentIsReportedAndOtherSnapshotsStillRestore() throws Exception {
        Files.delete(segA);
        Cli.Result r = Cli.run(repo, "check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains(segA.getFileName().toString().replace(".seg", "")) && r.out().contains("missing"),
                r.toString());
        Cli.Result restore = Cli.run(repo, "restore", snapA, tmp.resolve("a-again").toString());
        assertEquals(1, restore.code(), restore.toString());
        assertEquals(1, restore.errLines().size(), restore.toString());
        Path b = tmp.resolve("restored-b");
        Cli.expect(0, repo, "restore", snapB, b.toString());
        assertEquals(Trees.fingerprint(srcB), Trees.fingerprint(b));
    }

    private Set<Path> segments() throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve("segments"))) {
            return new HashSet<>(s.filter(p -> p.toString().endsWith(".seg")).toList());
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

}
