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
import org.junit.jupiter.api.io.TempDir;

class FileIngesterTest {
    @TempDir
    Path tmp;

    @Test
    void filesReadAheadByTheKernelAreStoredWholeAndTheReadAheadBudgetIsGivenBack() throws Exception {
        // More than the read-ahead budget in files under the hint size, so some are hinted and some not.
        int n = (int) (2 * FileIngester.HINT_AHEAD / FileIngester.HINT_MAX_FILE) + 8;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = tmp.resolve("f" + i);
            Files.write(f, Fixture.random(i, (int) FileIngester.HINT_MAX_FILE - i));
            files.add(f);
        }
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
