package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cairn.store.catalog.ChunkList;
import cairn.store.chunk.ChunkerParams;
import cairn.store.codec.ChunkCodec;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A result that never comes (a batch never handed to a reader) must fail the test, not hang it. */
@Timeout(120)
class FileIngesterTest {
    @TempDir
    Path tmp;

    @Test
    void filesReadAheadByTheKernelAreStoredWholeAndTheReadAheadBudgetIsGivenBack() throws Exception {
        // More than the read-ahead budget in files under the hint size, so some are hinted and some not.
        int n = (int) (2 * FileIngester.HINT_AHEAD / FileIngester.HINT_MAX_FILE) + 8;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(write("f" + i, Fixture.random(i, (int) FileIngester.HINT_MAX_FILE - i)));
        }
        ingestAndCheck(files);
    }

    @Test
    void smallFilesGoInBatchesAndEachComesBackWithItsOwnContent() throws Exception {
        // Batches closed by count, by bytes, and one left open until the flush; empty files among them.
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3 * FileIngester.BATCH_FILES + 5; i++) {
            files.add(write("s" + i, Fixture.random(100 + i, i % 7 == 0 ? 0 : 50 * i)));
        }
        for (int i = 0; i < 4; i++) {
            files.add(write("m" + i, Fixture.random(200 + i, (int) (FileIngester.BATCH_BYTES / 3))));
        }
        files.add(write("large", Fixture.random(300, ChunkerParams.DEFAULT.min() * 3)));
        files.add(write("last", Fixture.random(301, 10)));
        ingestAndCheck(files);
    }

    private Path write(String name, byte[] data) throws Exception {
        return Files.write(tmp.resolve(name), data);
    }

    private void ingestAndCheck(List<Path> files) throws Exception {
        int n = files.size();
        try (Repository repo = Repository.init(tmp.resolve("repo"))) {
            List<FileIngester.Result> results = new ArrayList<>();
            repo.catalog().begin();
            try (ChunkWriter writer = repo.newChunkWriter(new ChunkCodec(3), 64 << 20);
                 FileIngester ingester = new FileIngester(writer, repo.catalog(), ChunkerParams.DEFAULT, 2,
                         new BackupStats())) {
                List<Future<FileIngester.Result>> pending = new ArrayList<>();
                for (Path f : files) {
                    pending.add(ingester.submit(f, Files.size(f)));
                }
                ingester.flush();
                for (Future<FileIngester.Result> f : pending) {
                    results.add(f.get());
                }
                assertEquals(0, ingester.hintedBytes(), "every hinted file was read, and its bytes given back");
                writer.finish();
            }
            repo.catalog().commit();
            for (int i = 0; i < n; i++) {
                assertNull(results.get(i).error());
                ChunkList list = repo.catalog().contents().get(results.get(i).contentId()).chunks();
                byte[] back = new byte[(int) list.size()];
                repo.contents().read(list, 0, back, 0, back.length);
                assertArrayEquals(Files.readAllBytes(files.get(i)), back, "file " + i);
            }
        }
    }
}
