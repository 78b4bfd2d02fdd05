package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deduplication within and across snapshots, incremental backups, and --exclude, through the CLI. */
class DedupIncrementalTest {
    private static final int MB = 1_000_000;

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    @Test
    void tenCopiesOfAFileAreStoredOnce() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = Trees.random(42, MB);
        for (int i = 0; i < 10; i++) {
            Files.write(Files.createDirectories(src.resolve("copy" + i)).resolve("data.bin"), data);
        }
        String id = Cli.backup(repo, src);
        long stored = stats().get("segment_bytes");
        assertTrue(stored >= MB && stored < MB + MB / 20,
                "10 copies of 1 MB of random data should cost about 1 MB, cost " + stored + " bytes");
        Map<String, Object> snap = Cli.snapshot(repo, id);
        assertEquals(10L * MB, snap.get("bytes"));
        assertTrue((Long) snap.get("new_bytes") <= MB + 1, "new_bytes " + snap.get("new_bytes"));
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(dst));
    }

    @Test
    void theSameTreeTwiceAddsAlmostNothing() throws Exception {
        Path a = mixedTree(tmp.resolve("a"));
        Cli.backup(repo, a);
        Map<String, Long> first = stats();
        assertTrue(first.get("segment_bytes") > 3 * MB, first.toString());

        // The same tree again: nothing new to store.
        Cli.Result again = Cli.expect(0, repo, "backup", a.toString());
        assertTrue(again.out().contains("new data: 0 B"), again.toString());
        // An identical copy at another path has no parent snapshot, so every file is read: dedup alone
        // must keep it from costing anything but catalog rows.
        Path b = tmp.resolve("b");
        Proc.sh(tmp, "cp -a a b");
        String copyId = Cli.backup(repo, b);
        assertEquals(0L, Cli.snapshot(repo, copyId).get("new_bytes"));
        Map<String, Long> after = stats();
        assertEquals(first.get("segment_bytes"), after.get("segment_bytes"), "segments grew: " + first + " -> " + after);
        assertEquals(first.get("chunks"), after.get("chunks"));
        assertEquals(first.get("contents"), after.get("contents"), "identical files must share content rows");
        assertEquals(3L, after.get("snapshots"));
    }

    @Test
    void incrementalBackupReusesUnchangedFilesAndPicksUpChanges() throws Exception {
        Path src = mixedTree(tmp.resolve("src"));
        String first = Cli.backup(repo, src);

        Cli.Result unchanged = Cli.expect(0, repo, "backup", src.toString());
        assertTrue(unchanged.out().contains("new data: 0 B"), unchanged.toString());

        // Appending changes size; rewriting in place with the same size and the old mtime changes only
        // the ctime, which must be enough to notice.
        Path appended = src.resolve("docs/notes.txt");
        Files.write(appended, "one more line\n".getBytes(), StandardOpenOption.APPEND);
        Path sneaky = src.resolve("data/b.bin");
        FileTime oldTime = Files.getLastModifiedTime(sneaky);
        byte[] changed = Files.readAllBytes(sneaky);
        changed[12345] ^= 0x5a;
        Files.write(sneaky, changed);
        Files.setLastModifiedTime(sneaky, oldTime);
        Files.write(src.resolve("new-file.txt"), "brand new\n".getBytes());

        Cli.Result second = Cli.expect(0, repo, "backup", src.toString());
        String secondId = second.lastOutLine();
        assertFalse(second.out().contains("new data: 0 B"), second.toString());
        Map<String, Object> snap = Cli.snapshot(repo, secondId);
        assertTrue((Long) snap.get("new_bytes") > 0);
        assertTrue((Long) snap.get("new_bytes") < (Long) snap.get("bytes") / 2,
                "only the changed files' chunks should be new: " + snap);
        Cli.expect(0, repo, "verify", secondId, src.toString());
        Cli.Result old = Cli.run(repo, "verify", first, src.toString());
        assertEquals(1, old.code(), "the first snapshot must not match the changed tree: " + old);
        assertTrue(old.out().contains("data/b.bin"), old.toString());
        assertTrue(old.out().contains("new-file.txt"), old.toString());

        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", secondId, dst.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(dst));
        Path oldDst = tmp.resolve("old");
        Cli.expect(0, repo, "restore", first + ":data/b.bin", oldDst.toString());
        assertNotEquals(Trees.sha256(sneaky), Trees.sha256(oldDst));
    }

    @Test
    void excludedEntriesAreNotInTheSnapshot() throws Exception {
        Path src = tree(tmp.resolve("src"), "keep.txt", "drop.tmp", "sub/keep.log", "sub/deeper/drop.tmp",
                "logs/keep.log");
        String id = Cli.backup(repo, src, "--exclude", "*.tmp", "--exclude", "sub/*.log");
        String found = Cli.expect(0, repo, "find", "*").out();
        for (String kept : List.of("/keep.txt", "/logs/keep.log", "/sub/deeper")) {
            assertTrue(found.contains(id + "  " + kept + "\n"), kept + " missing from: " + found);
        }
        for (String dropped : List.of("drop.tmp", "/sub/keep.log")) {
            assertFalse(found.contains(dropped + "\n"), dropped + " was not excluded: " + found);
        }
    }

    /** README: a pattern with a slash matches the path under PATH, so "/cache" is the top-level one only. */
    @Test
    void aLeadingSlashAnchorsAnExcludeAtTheRoot() throws Exception {
        Path src = tree(tmp.resolve("src"), "cache/big.bin", "sub/cache/kept", "cachet/kept");
        String id = Cli.backup(repo, src, "--exclude", "/cache");
        String found = Cli.expect(0, repo, "find", "*").out();
        assertTrue(found.contains(id + "  /sub/cache/kept\n"), "sub/cache was excluded too: " + found);
        assertTrue(found.contains(id + "  /cachet/kept\n"), found);
        assertFalse(found.contains("  /cache\n") || found.contains("  /cache/"), "/cache was not excluded: " + found);
    }

    private static Path tree(Path root, String... files) throws Exception {
        for (String f : files) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, f.getBytes());
        }
        return root;
    }

    /** About 4.5 MB in files of several sizes, some over the 1 MiB average chunk. */
    private static Path mixedTree(Path root) throws Exception {
        Trees.writeRandom(root.resolve("data/a.bin"), 1, 2 * MB);
        Trees.writeRandom(root.resolve("data/b.bin"), 2, 1_500_000);
        Trees.writeRandom(root.resolve("data/c.bin"), 3, 700_000);
        for (int i = 0; i < 20; i++) {
            Trees.writeRandom(root.resolve("small/f" + i), 100 + i, 4096 + i * 97);
        }
        Files.createDirectories(root.resolve("docs"));
        Files.write(root.resolve("docs/notes.txt"), "notes\n".repeat(1000).getBytes());
        return root;
    }

    private Map<String, Long> stats() {
        Map<String, Object> m = Json.object(Cli.expect(0, repo, "stats", "--json").out());
        Map<String, Long> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, (Long) v));
        return out;
    }
}
