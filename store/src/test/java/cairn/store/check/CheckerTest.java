package cairn.store.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ChunkLocation;
import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check finds each kind of damage, says where it is, and finds nothing in a healthy repository. */
class CheckerTest {
    @TempDir
    Path tmp;
    Repository repo;
    List<ChunkId> ids = new ArrayList<>();
    List<String> segments = new ArrayList<>();

    @BeforeEach
    void twoSegmentsOfChunks() throws IOException {
        repo = Repository.init(tmp.resolve("repo"));
        for (int session = 0; session < 2; session++) {
            try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
                repo.catalog().begin();
                try (ChunkWriter w = repo.newChunkWriter(new ChunkCodec(3), 1L << 30)) {
                    ChunkList.Builder b = new ChunkList.Builder();
                    SplittableRandom r = new SplittableRandom(session);
                    for (int i = 0; i < 20; i++) {
                        byte[] d = new byte[2000 + i];
                        r.nextBytes(d);
                        ChunkId id = w.put(d);
                        ids.add(id);
                        b.add(id, d.length);
                    }
                    w.finish();
                    repo.catalog().contents().intern(b.build());
                    repo.catalog().commit();
                }
            }
        }
        repo.catalog().segments().all().forEach(s -> segments.add(s.name()));
        assertEquals(2, segments.size());
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private List<Finding> check(boolean readData) throws IOException {
        try (Repository fresh = Repository.open(repo.layout().root())) {
            return new Checker(fresh, s -> { }).run(readData);
        }
    }

    private Path file(String segment) {
        return repo.layout().segment(segment);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + repo.layout().catalog());
             Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @Test
    void aHealthyRepositoryHasNoFindingsAndEveryChunkIsRead() throws IOException {
        assertEquals(List.of(), check(false));
        Checker c;
        try (Repository fresh = Repository.open(repo.layout().root())) {
            c = new Checker(fresh, s -> { });
            assertEquals(List.of(), c.run(true));
        }
        assertEquals(40, c.chunksRead());
        assertTrue(c.bytesRead() >= 40 * 2000);
    }

    @Test
    void aFlippedDataByteIsFoundByReadingAndNamesItsSegment() throws IOException {
        ChunkLocation loc = repo.catalog().chunks().locate(ids.get(25));
        byte[] bytes = Files.readAllBytes(file(loc.segmentName()));
        bytes[(int) loc.offset() + 100] ^= 0x04;
        Files.write(file(loc.segmentName()), bytes);
        List<Finding> found = check(true);
        assertEquals(1, found.size(), found.toString());
        assertEquals(Finding.Severity.ERROR, found.get(0).severity());
        assertEquals("segment " + loc.segmentName(), found.get(0).where());
        assertTrue(found.get(0).toString().startsWith("error: segment " + loc.segmentName()), found.get(0).toString());
    }

    @Test
    void aMissingSegmentIsFoundWithoutReadingData() throws IOException {
        Files.delete(file(segments.get(1)));
        List<Finding> found = check(false);
        assertEquals(1, found.size(), found.toString());
        assertEquals("segment " + segments.get(1), found.get(0).where());
        assertTrue(found.get(0).problem().contains("missing") && found.get(0).problem().contains("20 chunks"),
                found.get(0).problem());
    }

    @Test
    void aTruncatedSegmentIsFoundWithoutReadingData() throws IOException {
        Path f = file(segments.get(0));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        List<Finding> found = check(false);
        assertEquals(1, found.size(), found.toString());
        assertEquals("segment " + segments.get(0), found.get(0).where());
    }

    @Test
    void aCatalogThatDisagreesWithTheSegmentIsFound() throws Exception {
        sql("UPDATE chunks SET offset = offset + 1 WHERE hash = X'" + ids.get(3).hex() + "'");
        assertTrue(check(false).stream().anyMatch(f -> f.problem().contains("offset")), check(false).toString());
    }

    @Test
    void aContentNamingAnUnknownChunkIsFound() throws Exception {
        sql("DELETE FROM chunks WHERE hash = X'" + ids.get(3).hex() + "'");
        List<Finding> found = check(false);
        assertTrue(found.stream().anyMatch(f -> f.where().startsWith("content ") && f.problem().contains("no segment")),
                found.toString());
    }
}
