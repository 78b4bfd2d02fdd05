package cairn.store.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ChunkLocation;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.ListingHash;
import cairn.store.catalog.Snapshot;
import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import cairn.store.snapshot.SnapshotTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore from a snapshot written straight into the catalog (no ingest), so each case is exactly the
 * entries it needs: contents, hard links, special files, metadata, and damaged data.
 */
class RestorerTest {
    private static final long MTIME = 1_500_000_000_123_456_789L;

    @TempDir
    Path tmp;
    Repository repo;
    ChunkWriter writer;
    RepoLock lock;

    @BeforeEach
    void setUp() throws IOException {
        repo = Repository.init(tmp.resolve("repo"));
        lock = repo.lockForWriting(Duration.ZERO);
        repo.catalog().begin();
        writer = repo.newChunkWriter(new ChunkCodec(3), 1 << 20);
    }

    @AfterEach
    void tearDown() throws IOException {
        writer.close();
        repo.catalog().rollback();
        lock.close();
        repo.close();
    }

    private long content(byte[]... chunks) throws IOException {
        ChunkList.Builder b = new ChunkList.Builder();
        for (byte[] c : chunks) {
            b.add(writer.put(c), c.length);
        }
        return repo.catalog().contents().intern(b.build());
    }

    private static Entry file(String name, int mode, long content, long size, long ino, int nlink) {
        return new Entry(name.getBytes(), EntryType.FILE, mode, 0, 0, size, MTIME, 0, ino, 1, nlink, 0, content, 0,
                null);
    }

    private Snapshot commit(List<Entry> rootEntries) throws IOException {
        List<Entry> sorted = new ArrayList<>(rootEntries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        long dir = repo.catalog().dirs().insert(ListingHash.of(sorted), sorted);
        writer.finish();
        long id = repo.catalog().snapshots().insert(new Snapshot(0, "abcd0001", Snapshot.Kind.TREE,
                Snapshot.Status.COMPLETE, null, "/src".getBytes(), "h", 1, 2, 0, dir, 0750, 0, 0, MTIME, 0, 0, null,
                0, 0, 0, 0, 0, 0));
        repo.catalog().commit();
        return repo.catalog().snapshots().all().stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    private void restore(Snapshot s, Path target) throws IOException {
        try (Restorer r = new Restorer(repo, 2)) {
            r.restore(SnapshotTree.root(s), target);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void filesComeBackWithContentsModesAndNanosecondTimes() throws IOException {
        byte[] a = random(1, 70_000);
        byte[] b = random(2, 5);
        Snapshot s = commit(List.of(file("multi", 0640, content(a, b, a), 140_005, 10, 1),
                file("empty", 0400, content(), 0, 11, 1)));
        Path dst = tmp.resolve("dst");
        restore(s, dst);
        byte[] expect = new byte[140_005];
        System.arraycopy(a, 0, expect, 0, a.length);
        System.arraycopy(b, 0, expect, a.length, b.length);
        System.arraycopy(a, 0, expect, a.length + b.length, a.length);
        assertArrayEquals(expect, Files.readAllBytes(dst.resolve("multi")));
        assertEquals(0, Files.size(dst.resolve("empty")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("multi"))));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("empty"))));
        assertEquals(MTIME, Files.getLastModifiedTime(dst.resolve("multi")).to(TimeUnit.NANOSECONDS));
        assertEquals(MTIME, Files.getLastModifiedTime(dst).to(TimeUnit.NANOSECONDS), "the root's own mtime");
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)));
    }

    @Test
    void hardLinksAreLinkedNotCopied() throws IOException {
        long c = content(random(3, 1000));
        Snapshot s = commit(List.of(file("one", 0644, c, 1000, 77, 3), file("two", 0644, c, 1000, 77, 3),
                file("three", 0644, c, 1000, 77, 3), file("copy", 0644, c, 1000, 78, 1)));
        Path dst = tmp.resolve("dst");
        restore(s, dst);
        Object ino = Files.getAttribute(dst.resolve("one"), "unix:ino");
        assertEquals(ino, Files.getAttribute(dst.resolve("two"), "unix:ino"));
        assertEquals(ino, Files.getAttribute(dst.resolve("three"), "unix:ino"));
        assertFalse(ino.equals(Files.getAttribute(dst.resolve("copy"), "unix:ino")));
        assertEquals(3, Files.getAttribute(dst.resolve("one"), "unix:nlink"));
    }

    @Test
    void symlinksAndFifosAreRecreated() throws IOException {
        Entry link = new Entry("link".getBytes(), EntryType.SYMLINK, 0777, 0, 0, 7, MTIME, 0, 5, 1, 1, 0, 0, 0,
                new byte[] {'n', 'o', (byte) 0xff, 'w', 'h', 'e', 'r'});
        Entry fifo = new Entry("fifo".getBytes(), EntryType.FIFO, 0620, 0, 0, 0, MTIME, 0, 6, 1, 1, 0, 0, 0, null);
        Snapshot s = commit(List.of(link, fifo));
        Path dst = tmp.resolve("dst");
        restore(s, dst);
        Path l = dst.resolve("link");
        assertTrue(Files.isSymbolicLink(l));
        assertArrayEquals(link.target(), cairn.store.fsutil.RawPaths.bytes(Files.readSymbolicLink(l)));
        assertEquals(MTIME, ((FileTime) Files.getAttribute(l, "lastModifiedTime", LinkOption.NOFOLLOW_LINKS))
                .to(TimeUnit.NANOSECONDS), "a symlink's own mtime");
        int mode = (Integer) Files.getAttribute(dst.resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0010620, mode);
    }

    @Test
    void restoringOverExistingFilesReplacesThem() throws IOException {
        Snapshot s = commit(List.of(file("f", 0644, content("new".getBytes()), 3, 1, 1)));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("f"), "old and longer");
        restore(s, dst);
        assertEquals("new", Files.readString(dst.resolve("f")));
    }

    @Test
    void damagedDataFailsTheRestoreWithoutAFileUnderItsName() throws IOException {
        byte[] good = random(4, 20_000);
        byte[] bad = random(5, 20_000);
        long goodContent = content(good);
        long badContent = content(random(6, 100), bad);
        ChunkId badId = ChunkId.of(bad);
        Snapshot s = commit(List.of(file("bad", 0644, badContent, 20_100, 1, 1),
                file("good", 0644, goodContent, 20_000, 2, 1)));
        ChunkLocation loc = repo.catalog().chunks().locate(badId);
        Path seg = repo.layout().segment(loc.segmentName());
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) loc.offset() + loc.storedLength() / 2] ^= 0x01;
        Files.write(seg, bytes);

        Path dst = tmp.resolve("dst");
        IOException e = assertThrows(IOException.class, () -> restore(s, dst));
        assertTrue(e.getMessage().contains(loc.segmentName()), e.getMessage());
        assertFalse(Files.exists(dst.resolve("bad")), "a damaged file was restored under its real name");
        // Writes still in flight when the first one failed are interrupted and remove their own
        // temporaries; Restorer.close does not wait for that, so give them a moment.
        List<String> names = List.of();
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> files = Files.list(dst)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".cairn-restore")).toList();
            }
            if (names.isEmpty()) {
                break;
            }
            sleep(50);
        }
        assertEquals(List.of(), names, "temporary files left");
        // The undamaged file alone restores.
        Path one = tmp.resolve("one");
        try (Restorer r = new Restorer(repo, 2)) {
            r.restore(repo.catalog().dirs().lookup(s.rootDir(), "good".getBytes()), one);
        }
        assertArrayEquals(good, Files.readAllBytes(one));
    }

    /** Large files are cut into ranges written by several tasks at once; the result must be the same file. */
    @Test
    void largeFilesRestoredInParallelRangesAreExactAndSparse() throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            chunks.add(i % 5 == 2 ? new byte[1 << 20] : random(100 + i, (1 << 20) - 7 * i));
        }
        chunks.add(new byte[3 << 20]); // a trailing hole: the size must still be exact
        int size = chunks.stream().mapToInt(c -> c.length).sum();
        byte[] whole = new byte[size];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, whole, at, c.length);
            at += c.length;
        }
        long content = content(chunks.toArray(new byte[0][]));
        Snapshot s = commit(List.of(file("big", 0640, content, size, 7, 2), file("big-link", 0640, content, size, 7, 2)));
        Path dst = tmp.resolve("dst");
        restore(s, dst);
        assertArrayEquals(whole, Files.readAllBytes(dst.resolve("big")));
        assertEquals(Files.getAttribute(dst.resolve("big"), "unix:ino"), Files.getAttribute(dst.resolve("big-link"), "unix:ino"));
        assertEquals(FileTime.from(MTIME / 1_000_000_000L, TimeUnit.SECONDS).toMillis() / 1000,
                Files.getLastModifiedTime(dst.resolve("big")).toMillis() / 1000);
        long allocated = SparseWriterTest.allocated(dst.resolve("big"));
        assertTrue(allocated < size - (6L << 20), "zeros were written instead of left as holes: " + allocated);
    }

    @Test
    void aDamagedChunkInALargeFileLeavesNoFileAndNoTemporary() throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chunks.add(random(200 + i, 1 << 20));
        }
        long content = content(chunks.toArray(new byte[0][]));
        Snapshot s = commit(List.of(file("big", 0644, content, 20 << 20, 1, 1)));
        ChunkLocation loc = repo.catalog().chunks().locate(ChunkId.of(chunks.get(13)));
        Path seg = repo.layout().segment(loc.segmentName());
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) loc.offset() + loc.storedLength() / 2] ^= 0x01;
        Files.write(seg, bytes);

        Path dst = tmp.resolve("dst");
        IOException e = assertThrows(IOException.class, () -> restore(s, dst));
        assertTrue(e.getMessage().contains(loc.segmentName()), e.getMessage());
        try (Stream<Path> files = Files.list(dst)) {
            assertEquals(List.of(), files.toList(), "a damaged large file left something behind");
        }
    }
}
