package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during a backup (the repository's) or a tree restore (the destination's): one
 * line that names the file that could not be written, exit 1, and nothing half-written that looks
 * complete: no snapshot, no segment, no file cut short under its name, no temporary file left.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    /** The repository on a 4 MiB disk, 8 MiB of random data to back up: its segment does not fit. */
    @Test
    void aTreeBackupOntoAFullDiskNamesTheSegmentAndSavesNothing() throws Exception {
        Path src = tmp.resolve("src");
        Trees.writeRandom(src.resolve("a.bin"), 41, 4 * MIB);
        Trees.writeRandom(src.resolve("b.bin"), 42, 4 * MIB);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "4m")) {
            Path repo = disk.path().resolve("repo");
            Cli.expect(0, repo, "init");
            Cli.Result r = Cli.run(repo, "backup", src.toString());
            assertSegmentDidNotFit(repo, r);
        }
    }

    @Test
    void anImageBackupOntoAFullDiskNamesTheSegmentAndSavesNothing() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("disk.img"), 43, 8 * MIB);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "4m")) {
            Path repo = disk.path().resolve("repo");
            Cli.expect(0, repo, "init");
            Cli.Result r = Cli.run(repo, "backup", "--image", img.toString());
            assertSegmentDidNotFit(repo, r);
        }
    }

    private static void assertSegmentDidNotFit(Path repo, Cli.Result r) throws Exception {
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        String segment = Pattern.quote(repo.resolve("tmp").toString()) + "/[0-9a-f]{32}\\.seg\\.tmp";
        assertTrue(r.errLines().get(0).matches("cairn: the repository's disk is full: cannot write segment " + segment
                + ": No space left on device"), r.toString());
        assertNothingSaved(repo);
    }

    private static void assertNothingSaved(Path repo) throws Exception {
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        for (String dir : List.of("tmp", "segments")) {
            try (Stream<Path> left = Files.walk(repo.resolve(dir))) {
                assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "left in " + dir);
            }
        }
        Cli.expect(0, repo, "check");
    }

    /**
     * Empty files store no data, only catalog rows: with the disk nearly full it is the catalog that does
     * not fit. Once there is room again, the same backup succeeds.
     */
    @Test
    void aBackupWhoseCatalogDoesNotFitNamesTheCatalog() throws Exception {
        Path src = tmp.resolve("src");
        for (int d = 0; d < 30; d++) {
            Path dir = Files.createDirectories(src.resolve("directory-" + d));
            for (int f = 0; f < 100; f++) {
                Files.createFile(dir.resolve("an-empty-file-with-a-name-of-some-length-" + f));
            }
        }
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "4m")) {
            Path repo = disk.path().resolve("repo");
            Cli.expect(0, repo, "init");
            Path filler = disk.fillLeaving(96 << 10);
            Cli.Result r = Cli.run(repo, "backup", src.toString());
            assertEquals(1, r.code(), r.toString());
            assertEquals(List.of("cairn: the repository's disk is full: cannot write the catalog "
                    + repo.resolve("catalog.db") + ": database or disk is full"), r.errLines(), r.toString());
            assertNothingSaved(repo);
            Files.delete(filler);
            Cli.backup(repo, src);
            Cli.expect(0, repo, "check");
        }
    }

    /**
     * A tree restore onto a 2 MiB disk: the error names the file being written, every file that has its
     * name is whole, and no temporary file is left.
     */
    @Test
    void aTreeRestoreThatFillsTheDiskNamesTheFile() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 5; i++) {
            Trees.writeRandom(src.resolve("small-" + i), 50 + i, 1000);
        }
        Trees.writeRandom(src.resolve("sub/three.bin"), 56, 3 * MIB);
        Trees.writeRandom(src.resolve("large.bin"), 57, 40 * MIB);
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, src);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "2m")) {
            Path dst = disk.path().resolve("dst");
            Cli.Result r = Cli.run(repo, "restore", id, dst.toString());
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.errLines().get(0).matches("cairn: cannot write " + Pattern.quote(dst.toString())
                    + "/(large\\.bin|sub/three\\.bin) at byte \\d+: No space left on device"), r.toString());
            Map<String, String> want = Trees.fingerprint(src);
            for (Map.Entry<String, String> e : Trees.fingerprint(dst).entrySet()) {
                assertTrue(!e.getKey().contains(".cairn-restore-"), "a temporary file was left: " + e.getKey());
                if (!e.getKey().endsWith("/")) {
                    assertEquals(want.get(e.getKey()), e.getValue(), e.getKey() + " has its name but is not whole");
                }
            }
        }
    }

    /** One file restored into a directory on a full disk: named in the error, and nothing is left there. */
    @Test
    void aFileRestoreThatFillsTheDiskNamesTheFile() throws Exception {
        Path src = tmp.resolve("src");
        Trees.writeRandom(src.resolve("dir/three.bin"), 58, 3 * MIB);
        Trees.writeRandom(src.resolve("dir/large.bin"), 59, 40 * MIB);
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, src);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "2m")) {
            Path into = disk.path();
            for (String name : List.of("three.bin", "large.bin")) {
                Cli.Result r = Cli.run(repo, "restore", id + ":dir/" + name, into + "/");
                assertEquals(1, r.code(), r.toString());
                assertEquals(1, r.errLines().size(), r.toString());
                assertTrue(r.errLines().get(0).matches("cairn: cannot write " + Pattern.quote(into.resolve(name).toString())
                        + " at byte \\d+: No space left on device"), r.toString());
                try (Stream<Path> left = Files.list(into)) {
                    assertEquals(List.of(), left.toList(), "a failed restore left a file");
                }
            }
        }
    }
}
