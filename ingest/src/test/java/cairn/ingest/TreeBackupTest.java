package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.image.DataRegions;
import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;
import cairn.store.check.Checker;
import cairn.store.check.Finding;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tree backups through the ingest API, with small chunks and segments so small trees cover many of both. */
class TreeBackupTest {
    @TempDir
    Path tmp;
    Path src;
    Repository repo;

    @BeforeEach
    void setUp() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        repo = Repository.init(tmp.resolve("repo"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private void sampleTree() throws IOException {
        for (int i = 0; i < 6; i++) {
            Fixture.write(src.resolve("data/file" + i + ".bin"), Fixture.random(i, 150_000 + i * 7777));
        }
        Fixture.write(src.resolve("data/zeros.bin"), new byte[100_000]);
        Fixture.write(src.resolve("small/a.txt"), "a".getBytes());
        Fixture.write(src.resolve("small/empty"), new byte[0]);
        Files.createDirectories(src.resolve("empty-dir"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("small/a.txt"));
    }

    @Test
    void manyChunksInManySegmentsRestoreAndVerify() throws IOException {
        sampleTree();
        Fixture.Run run = Fixture.run(repo, Fixture.options(src));
        Snapshot s = run.snapshot();
        assertEquals(Snapshot.Status.COMPLETE, s.status());
        assertTrue(run.result().newChunks() > 100, "expected many small chunks, got " + run.result().newChunks());
        assertTrue(Fixture.segmentFiles(repo) >= 10, "expected many 64 KiB segments, got " + Fixture.segmentFiles(repo));
        assertEquals(List.of(), Fixture.verify(repo, s, src));

        List<Finding> findings = new Checker(repo, x -> { }).run(true);
        assertEquals(List.of(), findings);

        Path dst = tmp.resolve("dst");
        Fixture.restore(repo, s, dst);
        assertEquals(List.of(), Fixture.verify(repo, s, dst));
        Path link = Files.createSymbolicLink(tmp.resolve("dst-link"), dst);
        assertEquals(List.of(), Fixture.verify(repo, s, link), "a symlink given as the source is followed");
        for (int i = 0; i < 6; i++) {
            Path rel = Path.of("data/file" + i + ".bin");
            assertArrayEquals(Files.readAllBytes(src.resolve(rel)), Files.readAllBytes(dst.resolve(rel)));
        }
    }

    @Test
    void verifierReportsEachDifference() throws IOException {
        sampleTree();
        Snapshot s = Fixture.backup(repo, Fixture.options(src)).snapshot();
        byte[] d = Files.readAllBytes(src.resolve("data/file2.bin"));
        d[140_000] ^= 1;
        Files.write(src.resolve("data/file2.bin"), d); // same size: only the bytes tell
        Files.setPosixFilePermissions(src.resolve("small/a.txt"), PosixFilePermissions.fromString("rwx------"));
        Files.delete(src.resolve("data/file3.bin"));
        Fixture.write(src.resolve("new.txt"), "new".getBytes());
        Files.delete(src.resolve("link"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("elsewhere"));

        List<String> diff = Fixture.verify(repo, s, src);
        assertEquals(6, diff.size(), diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("data/file2.bin: contents differ")), diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.equals("data/file2.bin: mtime differs")), diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("small/a.txt: mode")), diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("data/file3.bin: in the snapshot, not in the source")),
                diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("new.txt: in the source, not in the snapshot")),
                diff.toString());
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("link: link target")), diff.toString());
    }

    @Test
    void anUnchangedTreeIsNotReadAndAddsNoRows() throws IOException {
        sampleTree();
        Fixture.Run first = Fixture.run(repo, Fixture.options(src));
        assertEquals(9, first.stats().filesRead(), "every regular file is read the first time");
        long dirs = repo.catalog().count("dirs");
        long entries = repo.catalog().count("entries");
        long contents = repo.catalog().count("contents");
        long segments = Fixture.segmentFiles(repo);

        Fixture.Run second = Fixture.run(repo, Fixture.options(src));
        assertEquals(0, second.stats().filesRead(), "unchanged files were read again");
        assertEquals(0, second.stats().bytesRead());
        assertEquals(0, second.result().newChunks());
        assertEquals(first.snapshot().rootDir(), second.snapshot().rootDir(), "an unchanged tree has the same listing");
        assertEquals(first.snapshot().id(), second.snapshot().parent());
        assertEquals(dirs, repo.catalog().count("dirs"));
        assertEquals(entries, repo.catalog().count("entries"));
        assertEquals(contents, repo.catalog().count("contents"));
        assertEquals(segments, Fixture.segmentFiles(repo));

        // One changed file deep down: it alone is read, and only the listings on its path are new.
        Files.write(src.resolve("small/a.txt"), "b".getBytes(), StandardOpenOption.APPEND);
        Fixture.Run third = Fixture.run(repo, Fixture.options(src));
        assertEquals(1, third.stats().filesRead());
        assertEquals(dirs + 2, repo.catalog().count("dirs"), "root and small/ are new listings, data/ is shared");
        assertEquals(List.of(), Fixture.verify(repo, third.snapshot(), src));
    }

    @Test
    void aRewriteThatKeepsSizeAndMtimeIsStillNoticed() throws IOException {
        Path f = Fixture.write(src.resolve("f.bin"), Fixture.random(1, 50_000));
        Snapshot first = Fixture.backup(repo, Fixture.options(src)).snapshot();
        var mtime = Files.getLastModifiedTime(f);
        byte[] changed = Files.readAllBytes(f);
        changed[0] ^= 1;
        Files.write(f, changed);
        Files.setLastModifiedTime(f, mtime); // only ctime tells
        Fixture.Run second = Fixture.run(repo, Fixture.options(src));
        assertEquals(1, second.stats().filesRead());
        assertEquals(List.of(), Fixture.verify(repo, second.snapshot(), src));
        assertFalse(Fixture.verify(repo, first, src).isEmpty());
    }

    @Test
    void incrementalWorksAcrossManyPagesOfABigDirectory() throws IOException {
        Path big = Files.createDirectories(src.resolve("big"));
        for (int i = 0; i < 2500; i++) {
            Files.write(big.resolve(String.format("f%05d", i)), ("file " + i).getBytes());
        }
        Fixture.backup(repo, Fixture.options(src));
        assertEquals(0, Fixture.run(repo, Fixture.options(src)).stats().filesRead());
        Files.write(big.resolve("f02222"), "changed".getBytes());
        Files.delete(big.resolve("f01500"));
        Fixture.Run third = Fixture.run(repo, Fixture.options(src));
        assertEquals(1, third.stats().filesRead());
        assertEquals(List.of(), Fixture.verify(repo, third.snapshot(), src));
    }

    @Test
    void anInsertionEarlyInAFileStoresOnlyTheChunksAroundIt() throws IOException {
        byte[] original = Fixture.random(5, 2_000_000);
        Path f = Fixture.write(src.resolve("f.bin"), original);
        Fixture.backup(repo, Fixture.options(src));
        byte[] inserted = new byte[original.length + 100];
        System.arraycopy(original, 0, inserted, 0, 5000);
        System.arraycopy(Fixture.random(6, 100), 0, inserted, 5000, 100);
        System.arraycopy(original, 5000, inserted, 5100, original.length - 5000);
        Files.write(f, inserted);
        Snapshot s = Fixture.backup(repo, Fixture.options(src)).snapshot();
        assertTrue(s.newBytes() < 50_000, "an insertion of 100 bytes stored " + s.newBytes() + " new bytes");
        assertEquals(List.of(), Fixture.verify(repo, s, src));
    }

    @Test
    void identicalFilesAndHardLinksAreStoredAndReadOnce() throws IOException {
        byte[] data = Fixture.random(9, 300_000);
        for (int i = 0; i < 10; i++) {
            Fixture.write(src.resolve("copy" + i), data);
        }
        Path linked = Fixture.write(src.resolve("linked"), Fixture.random(10, 100_000));
        Files.createLink(src.resolve("linked2"), linked);
        Files.createLink(src.resolve("linked3"), linked);
        Fixture.Run run = Fixture.run(repo, Fixture.options(src));
        assertEquals(11, run.stats().filesRead(), "ten copies are read, the three names of one inode once");
        assertTrue(run.snapshot().newBytes() <= 400_000, "stored " + run.snapshot().newBytes());
        Catalog c = repo.catalog();
        List<Entry> root = c.dirs().list(run.snapshot().rootDir());
        assertEquals(2, root.stream().map(Entry::content).distinct().count(),
                "ten copies share a content row and the linked file has its own");
        assertEquals(2, c.count("contents"));

        Path dst = tmp.resolve("dst");
        Fixture.restore(repo, run.snapshot(), dst);
        Object ino = Files.getAttribute(dst.resolve("linked"), "unix:ino");
        assertEquals(ino, Files.getAttribute(dst.resolve("linked3"), "unix:ino"));
        assertNotEquals(ino, Files.getAttribute(dst.resolve("copy0"), "unix:ino"));
        assertEquals(3, Files.getAttribute(dst.resolve("linked2"), "unix:nlink"));
    }

    @Test
    void excludesSkipByNameAndByPath() throws IOException {
        for (String f : List.of("a.tmp", "keep", "d/b.tmp", "d/keep", "build/out/x", "src/build/y")) {
            Fixture.write(src.resolve(f), f.getBytes());
        }
        Snapshot s = Fixture.backup(repo, Fixture.options(src).withExcludes(List.of("*.tmp", "build/**"))).snapshot();
        List<String> diff = Fixture.verify(repo, s, src);
        assertEquals(List.of("a.tmp: in the source, not in the snapshot", "build/out: in the source, not in the snapshot",
                "d/b.tmp: in the source, not in the snapshot"), diff);
    }

    @Test
    void aNameThatIsNotUtf8IsKeptAsBytes() throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "printf 'x' > \"$(printf 'a\\377b')\" && mkdir \"$(printf 'd\\300')\"")
                .directory(src.toFile()).start();
        try {
            assertEquals(0, p.waitFor());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        Snapshot s = Fixture.backup(repo, Fixture.options(src)).snapshot();
        List<Entry> root = repo.catalog().dirs().list(s.rootDir());
        assertEquals(2, root.size());
        assertArrayEquals(new byte[] {'a', (byte) 0xff, 'b'}, root.get(0).name());
        assertArrayEquals(new byte[] {'d', (byte) 0xc0}, root.get(1).name());
        assertEquals(List.of(), Fixture.verify(repo, s, src));
    }

    @Test
    void aTreeDeeperThanAPathCanSpellIsBackedUpAndRestoredWhole() throws Exception {
        // Twenty levels of 250-byte names: the deepest file's path is over 5,000 bytes, past PATH_MAX,
        // so no call that takes a whole path can reach it; the walk goes from directory to directory.
        // Made as two chains of ten, each under PATH_MAX, joined by a relative rename.
        String a = ("d".repeat(250) + "/").repeat(10);
        String b = ("e".repeat(250) + "/").repeat(10);
        try {
            Process p = new ProcessBuilder("sh", "-c", "mkdir -p " + a + " side/" + b
                    + " && printf deep > side/" + b + "file && ln -s ../target side/" + b + "link"
                    + " && ln side/" + b + "file side/" + b + "hard"
                    + " && mv side/" + "e".repeat(250) + " " + a + " && rmdir side")
                    .directory(src.toFile()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
            BackupResult r = Fixture.backup(repo, Fixture.options(src));
            assertEquals(List.of(), r.errors(), "nothing unreadable");
            long dir = r.snapshot().rootDir();
            for (int i = 0; i < 20; i++) {
                List<Entry> entries = repo.catalog().dirs().list(dir);
                assertEquals(1, entries.size());
                dir = entries.get(0).subdir();
            }
            List<Entry> deepest = repo.catalog().dirs().list(dir);
            assertEquals(3, deepest.size());
            Entry file = deepest.get(0);
            assertArrayEquals("file".getBytes(), file.name());
            byte[] back = new byte[(int) file.size()];
            ChunkList chunks = repo.catalog().contents().get(file.content()).chunks();
            repo.contents().read(chunks, 0, back, 0, back.length);
            assertArrayEquals("deep".getBytes(), back);
            assertArrayEquals("../target".getBytes(), deepest.get(2).target());
            assertEquals(List.of(), Fixture.verify(repo, r.snapshot(), src), "verify walks as deep as the backup");

            Path dst = tmp.resolve("dst");
            Fixture.restore(repo, r.snapshot(), dst);
            assertEquals(List.of(), Fixture.verify(repo, r.snapshot(), dst), "the restored tree is the snapshot");
            // Each cd is under PATH_MAX; together they reach the deepest directory (-P: the shell's idea
            // of the whole path would pass PATH_MAX).
            Process look = new ProcessBuilder("sh", "-c", "cd -P " + a + " && cd -P " + b
                    + " && cat file && stat -c ' %h %i' file && stat -c ' %h %i' hard && readlink link")
                    .directory(dst.toFile()).redirectErrorStream(true).start();
            String seen = new String(look.getInputStream().readAllBytes());
            assertEquals(0, look.waitFor(), seen);
            String[] lines = seen.split("\n");
            assertTrue(lines[0].startsWith("deep 2 "), seen);
            assertEquals(lines[0].substring(4), lines[1], "file and hard are one inode with two names: " + seen);
            assertEquals("../target", lines[2]);
        } finally {
            // JUnit deletes by whole path, which cannot reach this far; rm goes from directory to directory.
            new ProcessBuilder("rm", "-rf", "src/" + "d".repeat(250), "dst/" + "d".repeat(250))
                    .directory(tmp.toFile()).start().waitFor();
        }
    }

    @Test
    void aSparseFileIsReadOnlyWhereItHasData() throws Exception {
        // 1 MiB of data, a 64 MiB hole, 1 MiB of data with an 8 KiB hole in it, and a hole to 200 MiB.
        Path f = src.resolve("disk.raw");
        byte[] a = Fixture.random(1, 1 << 20);
        byte[] b = Fixture.random(2, 1 << 20);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.write(a);
            raf.seek(65L << 20);
            raf.write(b, 0, 512 << 10);
            raf.seek((65L << 20) + (520 << 10));
            raf.write(b, 520 << 10, b.length - (520 << 10));
            raf.setLength(200L << 20);
        }
        Require.that(withFd(f, fd -> DataRegions.holes(fd, 200L << 20, 1).size() >= 2), "this file system makes no holes");

        Fixture.Run run = Fixture.run(repo, Fixture.options(src));
        assertTrue(run.stats().bytesRead() <= 3L << 20, "read " + run.stats().bytesRead() + " bytes of a 200 MiB file");
        Entry e = repo.catalog().dirs().list(run.snapshot().rootDir()).get(0);
        ChunkList chunks = repo.catalog().contents().get(e.content()).chunks();
        assertEquals((64L << 20) + (200L << 20) - (66L << 20), chunks.size() - chunks.dataBytes(),
                "the two long holes are holes, the short one is not");
        assertEquals(List.of(), Fixture.verify(repo, run.snapshot(), src));

        Path dst = tmp.resolve("dst");
        Fixture.restore(repo, run.snapshot(), dst);
        assertEquals(List.of(), Fixture.verify(repo, run.snapshot(), dst));
        assertTrue(withFd(dst.resolve("disk.raw"), fd -> DataRegions.holeAt(fd, 2L << 20, 64L << 20)),
                "the restored file is sparse");
    }

    /** {@code ask} of a read-only descriptor of {@code p}, closed after. */
    private static boolean withFd(Path p, java.util.function.IntPredicate ask) throws IOException {
        int fd = Posix.openReadOnly(RawPaths.bytes(p));
        try {
            return ask.test(fd);
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aSourceThatIsNotADirectoryIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = Fixture.write(tmp.resolve("file"), "x".getBytes());
        IOException e = assertThrows(IOException.class, () -> Fixture.backup(repo, Fixture.options(file)));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertThrows(IOException.class, () -> Fixture.backup(repo, Fixture.options(tmp.resolve("missing"))));
        assertEquals(0, repo.catalog().count("snapshots"));
        assertFalse(Files.exists(repo.layout().lock()), "a refused backup took the lock");
    }

    @Test
    void ownersAreRecordedWhenRoot() throws IOException {
        Require.that(Require.isRoot(), "chown to another user needs root");
        Path f = Fixture.write(src.resolve("owned"), "x".getBytes());
        Files.setAttribute(f, "unix:uid", 1234);
        Files.setAttribute(f, "unix:gid", 5678);
        Snapshot s = Fixture.backup(repo, Fixture.options(src)).snapshot();
        Entry e = repo.catalog().dirs().list(s.rootDir()).get(0);
        assertEquals(1234, e.uid());
        assertEquals(5678, e.gid());
        Path dst = tmp.resolve("dst");
        Fixture.restore(repo, s, dst);
        assertEquals(1234, Files.getAttribute(dst.resolve("owned"), "unix:uid"));
        assertEquals(5678, Files.getAttribute(dst.resolve("owned"), "unix:gid"));
    }
}
