package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer that died leaves, put right by the next: sealed segments the catalog never heard of are
 * adopted, unsealed files are removed, and nothing the catalog names is touched.
 */
class CrashRecoveryTest {
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

    /** A writer that seals its segments and dies before committing: the catalog forgets everything. */
    private List<ChunkId> crashAfterSealing(List<byte[]> data) throws IOException {
        List<ChunkId> ids = new ArrayList<>();
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), ChunkWriterTest.SMALL_SEGMENTS)) {
                for (byte[] d : data) {
                    ids.add(w.put(d));
                }
                w.finish();
            }
            repo.catalog().rollback();
        }
        return ids;
    }

    @Test
    void sealedOrphanSegmentsAreAdoptedAndCountForDedup() throws IOException {
        List<byte[]> data = ChunkWriterTest.chunks(1, 60);
        List<ChunkId> ids = crashAfterSealing(data);
        int orphans = ChunkWriterTest.segmentFiles(repo).size();
        assertTrue(orphans > 1);
        assertEquals(0, repo.catalog().count("chunks"), "the rolled-back catalog must not name the chunks");

        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            assertEquals(orphans, repo.catalog().count("segments"));
            assertEquals(data.size(), repo.catalog().count("chunks"));
            repo.catalog().begin();
            try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), ChunkWriterTest.SMALL_SEGMENTS)) {
                for (byte[] d : data) {
                    w.put(d);
                }
                w.finish();
                assertEquals(0, w.newChunks(), "adopted chunks were stored again");
                repo.catalog().commit();
            }
        }
        for (int i = 0; i < data.size(); i++) {
            assertArrayEquals(data.get(i), repo.chunks().read(ids.get(i)));
        }
        assertEquals(orphans, ChunkWriterTest.segmentFiles(repo).size());
    }

    /** FORMAT.md: {@code segments.bytes} excludes the footer, for adopted segments as for any other. */
    @Test
    void adoptedSegmentsAreRecordedLikeCommittedOnes() throws IOException {
        List<byte[]> data = ChunkWriterTest.chunks(4, 40);
        long committed;
        try (Repository other = Repository.init(tmp.resolve("other"))) {
            ChunkWriterTest.store(other, data, ChunkWriterTest.SMALL_SEGMENTS);
            committed = other.catalog().segments().totalBytes();
        }
        crashAfterSealing(data);
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            assertEquals(committed, repo.catalog().segments().totalBytes(),
                    "adopted segments are recorded with their footers, committed ones without");
        }
    }

    @Test
    void unsealedAndTornFilesAreRemovedButKnownSegmentsAreLeftAlone() throws IOException {
        List<ChunkId> kept = ChunkWriterTest.store(repo, ChunkWriterTest.chunks(2, 5), 1L << 30);
        Path known = ChunkWriterTest.segmentFiles(repo).get(0);
        byte[] knownBytes = Files.readAllBytes(known);
        // A damaged segment the catalog names is evidence for check, not rubbish.
        byte[] damaged = knownBytes.clone();
        damaged[damaged.length - 3] ^= 1;
        Files.write(known, damaged);

        Path unsealed = Files.write(repo.layout().tmpDir().resolve("0123.seg.tmp"), new byte[1000]);
        Path torn = repo.layout().segment("ffeeddccbbaa99887766554433221100");
        Files.createDirectories(torn.getParent());
        Files.write(torn, java.util.Arrays.copyOf(knownBytes, knownBytes.length / 2));
        Path unrelated = Files.write(repo.layout().segmentsDir().resolve("README"), "keep me".getBytes());

        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            assertFalse(Files.exists(unsealed), "unsealed tmp file survived");
            assertFalse(Files.exists(torn), "a torn orphan segment survived");
            assertArrayEquals(damaged, Files.readAllBytes(known), "recovery touched a segment the catalog names");
            assertTrue(Files.exists(unrelated));
            assertEquals(1, repo.catalog().count("segments"));
            assertEquals(kept.size(), repo.catalog().count("chunks"));
        }
    }

    @Test
    void recoveryNeedsTheLockAndRunsOnlyUnderIt() throws IOException {
        crashAfterSealing(ChunkWriterTest.chunks(3, 10));
        // Readers do not adopt: only a writer holding the lock changes the catalog.
        try (Repository reader = Repository.open(repo.layout().root())) {
            assertEquals(0, reader.catalog().count("segments"));
        }
        try (Stream<Path> s = Files.list(repo.layout().tmpDir())) {
            assertEquals(0, s.count());
        }
    }
}
