package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader waiting for a block another thread is fetching waits only while that fetch gets somewhere. */
class BlockCacheTest {
    private static final int LENGTH = 1000;

    @TempDir
    Path tmp;
    BlockCache cache;
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() {
        cache = new BlockCache(tmp.resolve("cache"), 1 << 20);
    }

    @AfterEach
    void close() {
        release.countDown();
        cache.close();
    }

    private static byte[] block(int seed) {
        byte[] b = new byte[LENGTH];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    /** A fetch that is heard from every {@code everyMs} (never, when 0) until released, bounded by {@code boundMs}. */
    private BlockCache.Fetch fetch(byte[] content, CountDownLatch entered, long everyMs, long boundMs) {
        return new BlockCache.Fetch() {
            @Override
            public int fetch(byte[] dst, Runnable progress) throws IOException {
                entered.countDown();
                try {
                    while (!release.await(everyMs == 0 ? 60_000 : everyMs, TimeUnit.MILLISECONDS)) {
                        if (everyMs > 0) {
                            progress.run();
                        }
                    }
                } catch (InterruptedException e) {
                    throw new IOException("interrupted", e);
                }
                System.arraycopy(content, 0, dst, 0, LENGTH);
                return LENGTH;
            }

            @Override
            public long silenceBoundMs() {
                return boundMs;
            }
        };
    }

    private static BlockCache.Fetch mustNotRun(AtomicInteger calls) {
        return (dst, progress) -> {
            calls.incrementAndGet();
            throw new IOException("the waiting reader fetched the block itself");
        };
    }

    @Test
    void aReaderWaitingOnAStalledReadAheadFetchStopsWaitingSoonAfterItsBound() throws Exception {
        String key = BlockCache.key(1, "seg", 0);
        CountDownLatch entered = new CountDownLatch(1);
        cache.prefetch(key, LENGTH, fetch(block(1), entered, 0, 400)); // a read-ahead thread, stuck
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        // The reader then fetches the block itself: from a target found failing meanwhile, that fails at
        // once; here the target gives it.
        AtomicInteger calls = new AtomicInteger();
        BlockCache.Fetch own = (dst, progress) -> {
            calls.incrementAndGet();
            System.arraycopy(block(4), 0, dst, 0, LENGTH);
            return LENGTH;
        };
        long t0 = System.nanoTime();
        ByteBuffer dst = ByteBuffer.allocate(LENGTH);
        assertEquals(LENGTH, cache.read(key, LENGTH, own, dst, 0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertArrayEquals(block(4), dst.array());
        assertEquals(1, calls.get());
        assertTrue(seconds >= 0.4 && seconds < 5, "the reader waited " + seconds + " s");

        // The next reader finds the block at once: the stuck fetch is not waited for again.
        long t1 = System.nanoTime();
        dst.clear();
        assertEquals(LENGTH, cache.read(key, LENGTH, mustNotRun(calls), dst, 0));
        assertArrayEquals(block(4), dst.array());
        assertTrue((System.nanoTime() - t1) / 1e9 < 0.3, "the next reader waited for the stuck fetch too");
    }

    @Test
    void aReaderWaitingOnAStalledFetchOfAFailingTargetFailsSoonAfterItsBound() throws Exception {
        String key = BlockCache.key(1, "seg", 2);
        CountDownLatch entered = new CountDownLatch(1);
        cache.prefetch(key, LENGTH, fetch(block(1), entered, 0, 400));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        TargetUnavailableException e = assertThrows(TargetUnavailableException.class, () -> cache.read(key, LENGTH,
                (dst, progress) -> {
                    throw new TargetUnavailableException("no answer from host for 0.4 s while reading seg");
                }, ByteBuffer.allocate(LENGTH), 0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals("no answer from host for 0.4 s while reading seg", e.getMessage());
        assertTrue(seconds >= 0.4 && seconds < 5, "the reader waited " + seconds + " s");
    }

    @Test
    void aReaderWaitsForAnotherThreadsFetchAsLongAsItIsHeardFrom() throws Exception {
        String key = BlockCache.key(1, "seg", 1);
        CountDownLatch entered = new CountDownLatch(1);
        cache.prefetch(key, LENGTH, fetch(block(2), entered, 50, 400)); // slow, but heard from every 50 ms
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException ignored) {
                // released now, then
            }
            release.countDown();
        }).start();
        AtomicInteger calls = new AtomicInteger();
        ByteBuffer dst = ByteBuffer.allocate(LENGTH);
        assertEquals(LENGTH, cache.read(key, LENGTH, mustNotRun(calls), dst, 0));
        assertArrayEquals(block(2), dst.array());
        assertEquals(0, calls.get(), "the block was fetched once");
    }

    @Test
    void withoutABoundAReaderWaitsTheFetchOut() throws Exception {
        String key = BlockCache.key(2, "seg", 0);
        CountDownLatch entered = new CountDownLatch(1);
        cache.prefetch(key, LENGTH, fetch(block(3), entered, 0, 0)); // a local disk: no bound of its own
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        new Thread(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ignored) {
                // released now, then
            }
            release.countDown();
        }).start();
        ByteBuffer dst = ByteBuffer.allocate(LENGTH);
        assertEquals(LENGTH, cache.read(key, LENGTH, mustNotRun(new AtomicInteger()), dst, 0));
        assertArrayEquals(block(3), dst.array());
    }
}
