package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.ChunkLocation;
import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.codec.Codec;
import cairn.store.fsutil.PageCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path (dedup, compress, append, seal) and the read path (locate, check, decompress, verify). */
class ChunkWriterTest {
    static final long SMALL_SEGMENTS = 32 << 10;

    @TempDir
    Path tmp;
    Repository repo;

    @BeforeEach
    void setUp() throws IOException {
        repo = Repository.init(tmp.resolve("repo"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    static List<byte[]> chunks(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[1024 + r.nextInt(7000)];
            if (i % 3 == 0) {
                java.util.Arrays.fill(b, (byte) i); // compressible
            } else {
                r.nextBytes(b);
            }
            out.add(b);
        }
        return out;
    }

    /** One committed writer session: lock, transaction, puts, finish, commit. */
    static List<ChunkId> store(Repository repo, List<byte[]> data, long segmentSize) throws IOException {
        List<ChunkId> ids = new ArrayList<>();
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), segmentSize)) {
                for (byte[] d : data) {
                    ids.add(w.put(d));
                }
                w.finish();
                repo.catalog().commit();
            } finally {
                repo.catalog().rollback();
            }
        }
        return ids;
    }

    static List<Path> segmentFiles(Repository repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo.layout().segmentsDir())) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void putAllStoresEachNewChunkOnceAcrossSegmentsAndGivesTheIdsInOrder() throws IOException {
        List<byte[]> data = new ArrayList<>(chunks(11, 40));
        data.add(data.get(3).clone()); // the same bytes twice in one batch
        store(repo, chunks(11, 5), 1L << 30); // and some the repository has already
        List<ChunkId> ids;
        long added;
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), SMALL_SEGMENTS)) {
                ids = w.putAll(data);
                added = w.newChunks();
                w.finish();
                repo.catalog().commit();
            }
        }
        assertEquals(35, added, "40 chunks, 5 of them stored before, one repeated");
        assertTrue(segmentFiles(repo).size() > 2, "small segments: the batch spans several");
        for (int i = 0; i < data.size(); i++) {
            assertEquals(ChunkId.of(data.get(i)), ids.get(i));
            assertArrayEquals(data.get(i), repo.chunks().read(ids.get(i)));
        }
    }

    @Test
    void aSealedSegmentLeavesThePageCacheUnlessAPushWillReadIt() throws IOException {
        Assumptions.assumeTrue(PageCache.unobservable(tmp) == null, PageCache.unobservable(tmp));
        store(repo, chunks(7, 200), 1L << 30);
        Path first = segmentFiles(repo).get(0);
        assertFalse(PageCache.resident(first), "no targets: a sealed segment is dropped from the page cache");
        repo.catalog().targets().insert("usb", tmp.resolve("usb").toString(), "local", "");
        store(repo, chunks(8, 200), 1L << 30);
        Path second = segmentFiles(repo).stream().filter(p -> !p.equals(first)).findFirst().orElseThrow();
        assertTrue(PageCache.resident(second), "with a target the push reads it next: it stays in the page cache");
    }

    @Test
    void storedChunksReadBackFromManySealedSegments() throws IOException {
        List<byte[]> data = chunks(1, 200);
        List<ChunkId> ids = store(repo, data, SMALL_SEGMENTS);
        for (int i = 0; i < data.size(); i++) {
            assertEquals(ChunkId.of(data.get(i)), ids.get(i));
            assertArrayEquals(data.get(i), repo.chunks().read(ids.get(i)));
        }
        List<Path> segs = segmentFiles(repo);
        assertTrue(segs.size() >= 10, "expected many sealed segments, got " + segs.size());
        assertEquals(segs.size(), repo.catalog().count("segments"));
        long onDisk = 0;
        for (Path p : segs) {
            onDisk += Files.size(p);
        }
        // FORMAT.md: segments.bytes excludes the footer (a 49-byte index entry per chunk and a 28-byte trailer).
        assertEquals(onDisk - 49L * data.size() - 28L * segs.size(), repo.catalog().segments().totalBytes(),
                "catalog segment sizes must match the files");
        try (Stream<Path> s = Files.list(repo.layout().tmpDir())) {
            assertEquals(0, s.count(), "unsealed files left in tmp/");
        }
        ChunkLocation compressible = repo.catalog().chunks().locate(ids.get(0));
        assertEquals(Codec.ZSTD, compressible.codec());
        assertEquals(Codec.RAW, repo.catalog().chunks().locate(ids.get(1)).codec());
    }

    @Test
    void aChunkIsStoredOnceWithinAndAcrossSessions() throws Exception {
        byte[] same = chunks(2, 1).get(0);
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), SMALL_SEGMENTS)) {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<ChunkId>> fs = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    fs.add(pool.submit(() -> w.put(same.clone())));
                }
                for (Future<ChunkId> f : fs) {
                    assertEquals(ChunkId.of(same), f.get());
                }
                pool.shutdown();
                w.finish();
                assertEquals(1, w.newChunks(), "the same bytes put from 8 threads were stored more than once");
                assertEquals(same.length, w.newRawBytes());
                repo.catalog().commit();
            }
        }
        assertEquals(1, repo.catalog().count("chunks"));
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), SMALL_SEGMENTS)) {
                w.put(same);
                w.finish();
                assertEquals(0, w.newChunks(), "a chunk stored by an earlier session was stored again");
                repo.catalog().commit();
            }
        }
        assertEquals(1, segmentFiles(repo).size(), "a session with nothing new must not write a segment");
    }

    @Test
    void damagedDataIsNeverReturnedAndTheErrorNamesTheSegment() throws IOException {
        List<byte[]> data = chunks(3, 30);
        List<ChunkId> ids = store(repo, data, 1L << 30);
        Path seg = segmentFiles(repo).get(0);
        String name = seg.getFileName().toString().replace(".seg", "");
        ChunkLocation victim = repo.catalog().chunks().locate(ids.get(4));
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) victim.offset() + victim.storedLength() - 5] ^= 0x10;
        Files.write(seg, bytes);
        try (Repository fresh = Repository.open(repo.layout().root())) {
            ChunkReader.ChunkUnavailableException e = assertThrows(ChunkReader.ChunkUnavailableException.class,
                    () -> fresh.chunks().read(ids.get(4)));
            assertEquals(name, e.segment());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            for (int i = 0; i < data.size(); i++) {
                if (i != 4) {
                    assertArrayEquals(data.get(i), fresh.chunks().read(ids.get(i)), "chunk " + i);
                }
            }
        }
    }

    @Test
    void aMissingSegmentIsNamed() throws IOException {
        List<ChunkId> ids = store(repo, chunks(4, 3), 1L << 30);
        Path seg = segmentFiles(repo).get(0);
        Files.delete(seg);
        try (Repository fresh = Repository.open(repo.layout().root())) {
            ChunkReader.ChunkUnavailableException e = assertThrows(ChunkReader.ChunkUnavailableException.class,
                    () -> fresh.chunks().read(ids.get(0)));
            assertEquals(seg.getFileName().toString().replace(".seg", ""), e.segment());
            ChunkReader.ChunkUnavailableException unknown = assertThrows(ChunkReader.ChunkUnavailableException.class,
                    () -> fresh.chunks().read(ChunkId.of(new byte[] {1})));
            assertEquals(null, unknown.segment());
        }
    }

    @Test
    void contentReadsAnyRangeAcrossChunks() throws IOException {
        List<byte[]> data = chunks(5, 20);
        List<ChunkId> ids = store(repo, data, SMALL_SEGMENTS);
        cairn.store.catalog.ChunkList.Builder b = new cairn.store.catalog.ChunkList.Builder();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < data.size(); i++) {
            b.add(ids.get(i), data.get(i).length);
            all.writeBytes(data.get(i));
        }
        cairn.store.catalog.ChunkList list = b.build();
        byte[] whole = all.toByteArray();
        ContentReader reader = repo.contents();
        SplittableRandom r = new SplittableRandom(6);
        for (int k = 0; k < 200; k++) {
            int off = r.nextInt(whole.length);
            int len = 1 + r.nextInt(20_000);
            byte[] dst = new byte[len + 3];
            int n = reader.read(list, off, dst, 3, len);
            assertEquals(Math.min(len, whole.length - off), n);
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, off, off + n),
                    java.util.Arrays.copyOfRange(dst, 3, 3 + n));
        }
        assertEquals(0, reader.read(list, whole.length, new byte[10], 0, 10));
    }

    /**
     * After a write to the open segment failed (here an interrupt, as a full disk would), every later
     * chunk fails with that same failure, an IOException: not with an IllegalStateException from the
     * poisoned segment writer, which reached the user as a Java class name.
     */
    @Test
    void aFailedSegmentWriteFailsEveryLaterPutTheSameWay() throws IOException {
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), Repository.DEFAULT_SEGMENT_SIZE)) {
                byte[] big = new byte[3 << 20]; // past the writer's batch buffer: written at once
                new SplittableRandom(7).nextBytes(big);
                IOException first;
                Thread.currentThread().interrupt();
                try {
                    first = assertThrows(IOException.class, () -> w.put(big));
                } finally {
                    Thread.interrupted();
                }
                IOException later = assertThrows(IOException.class, () -> w.put(chunks(8, 1).get(0)));
                assertEquals(first, later.getCause());
                assertThrows(IOException.class, () -> w.putAll(chunks(9, 3)));
            } finally {
                repo.catalog().rollback();
            }
        }
        try (Stream<Path> left = Files.list(repo.layout().tmpDir())) {
            assertEquals(List.of(), left.toList(), "the abandoned segment was left");
        }
    }
}
