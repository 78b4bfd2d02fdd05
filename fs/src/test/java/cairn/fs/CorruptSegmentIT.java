package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ChunkLocation;
import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;
import cairn.store.repo.Repository;
import cairn.store.snapshot.SnapshotTree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged chunk costs the reads that need it (EIO and one log line), nothing else. */
class CorruptSegmentIT {
    @TempDir
    Path tmp;

    @Test
    void corruptChunkGivesEioForItsFileOnly() throws Exception {
        byte[] bad = TestRepos.random(300 << 10, 1);
        byte[] good = TestRepos.random(300 << 10, 2);
        Path src = tmp.resolve("src");
        TestRepos.write(src.resolve("bad.bin"), bad);
        TestRepos.write(src.resolve("good.bin"), good);
        Path repoDir = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repoDir, src);
        String segment = flipAByteIn(repoDir, s, "bad.bin");
        try (Mounted m = Mounted.mount(repoDir, tmp.resolve("mnt"), s.name())) {
            IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(m.dir.resolve("bad.bin")));
            assertTrue(String.valueOf(e.getMessage()).contains("Input/output error"), e.toString());
            assertArrayEquals(good, Files.readAllBytes(m.dir.resolve("good.bin")));
            assertEquals(bad.length, Files.size(m.dir.resolve("bad.bin")), "metadata still readable");
            assertEquals(1, m.log.size(), m.log.toString());
            assertTrue(m.log.get(0).contains("/bad.bin") && m.log.get(0).contains(segment), m.log.get(0));
        }
    }

    /** Flips one byte in the middle of the stored record of the file's first chunk; returns the segment name. */
    private static String flipAByteIn(Path repoDir, Snapshot s, String file) throws Exception {
        try (Repository repo = Repository.open(repoDir)) {
            Entry e = SnapshotTree.resolve(repo.catalog(), s, file.getBytes(StandardCharsets.UTF_8));
            ChunkList cl = repo.catalog().contents().get(e.content()).chunks();
            ChunkLocation loc = repo.catalog().chunks().locate(cl.id(0));
            try (RandomAccessFile f = new RandomAccessFile(repo.layout().segment(loc.segmentName()).toFile(), "rw")) {
                long at = loc.offset() + loc.storedLength() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x40);
            }
            return loc.segmentName();
        }
    }
}
