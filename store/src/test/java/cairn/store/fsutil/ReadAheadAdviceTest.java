package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadAdviceTest {
    @TempDir
    Path tmp;

    @Test
    void willNeedBringsADroppedFileBackIntoThePageCache() throws Exception {
        Assumptions.assumeTrue(PageCache.unobservable(tmp) == null, PageCache.unobservable(tmp));
        Path f = tmp.resolve("f");
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        Files.write(f, data);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true); // only clean pages can be dropped
        }
        Posix.dropFromPageCache(RawPaths.bytes(f));
        assertFalse(PageCache.resident(f), "dropped");
        Posix.willNeed(UnixCalls.AT_FDCWD, RawPaths.bytes(f));
        // The kernel reads in the background: wait for it, without reading the file ourselves.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!PageCache.resident(f) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(PageCache.resident(f), "read ahead by the kernel");
    }

    @Test
    @Timeout(10)
    void willNeedNeitherBlocksOnAFifoNorFollowsASymlinkNorFailsOnAMissingFile() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Posix.mknod(RawPaths.bytes(fifo), 0010644, 0); // S_IFIFO: opening it to read would wait for a writer
        Posix.willNeed(UnixCalls.AT_FDCWD, RawPaths.bytes(fifo));
        Files.createSymbolicLink(tmp.resolve("link"), fifo);
        Posix.willNeed(UnixCalls.AT_FDCWD, RawPaths.bytes(tmp.resolve("link")));
        Posix.willNeed(UnixCalls.AT_FDCWD, RawPaths.bytes(tmp.resolve("missing")));
    }
}
