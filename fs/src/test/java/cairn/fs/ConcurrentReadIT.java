package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cairn.store.catalog.Snapshot;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many readers of one large file, at random offsets and sizes, all get the right bytes. */
class ConcurrentReadIT {
    @TempDir
    Path tmp;

    @Test
    void eightThreadsReadRandomRanges() throws Exception {
        byte[] data = TestRepos.random(20 << 20, 7);
        // Make part of it compressible so both codecs' paths are read.
        Arrays.fill(data, 5 << 20, 8 << 20, (byte) 'z');
        Path src = tmp.resolve("src");
        TestRepos.write(src.resolve("big"), data);
        Path repo = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repo, src);
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt"), s.name())) {
            Path big = m.dir.resolve("big");
            assertEquals(data.length, Files.size(big));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    done.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        try (FileChannel ch = FileChannel.open(big)) {
                            for (int i = 0; i < 150; i++) {
                                int off = r.nextInt(data.length);
                                int len = 1 + r.nextInt(Math.min(512 << 10, data.length - off));
                                ByteBuffer buf = ByteBuffer.allocate(len);
                                while (buf.hasRemaining() && ch.read(buf, off + buf.position()) > 0) {
                                    // positional reads until the range is full
                                }
                                assertArrayEquals(Arrays.copyOfRange(data, off, off + len), buf.array(),
                                        "range " + off + "+" + len);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            // And one sequential pass, which takes the read-ahead path.
            assertArrayEquals(data, Files.readAllBytes(big));
            assertEquals(List.of(), m.log);
        }
    }
}
