package cairn.fs.view;

import cairn.store.chunk.ChunkId;
import cairn.store.repo.ChunkReader;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the next chunks of a sequential reader on a small pool, so decompression runs on every core
 * while the kernel is still copying the previous chunk out. A prefetched chunk lands in the
 * repository's chunk cache; a reader that needs a chunk still in flight waits for it rather than
 * decompressing it a second time. Prefetch is best effort: when the queue is full it is dropped, and
 * a failure is left for the real read to meet and report.
 */
final class ReadAhead implements AutoCloseable {
    /**
     * Chunk bytes being prefetched at most, or one chunk when a chunk is larger: three workers each
     * decoding an image's 64 MiB block would not fit in the default heap.
     */
    private static final long MAX_BYTES_IN_FLIGHT = 32L << 20;

    private final ChunkReader chunks;
    private final AtomicLong bytesInFlight = new AtomicLong();
    private final ThreadPoolExecutor pool;
    private final Map<ChunkId, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    ReadAhead(ChunkReader chunks, int threads) {
        this.chunks = chunks;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "cairn-readahead-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reading chunk {@code id} of {@code length} bytes unless it is already being read, or too much is. */
    void prefetch(ChunkId id, int length) {
        if (!reserve(length)) {
            return;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (inFlight.putIfAbsent(id, f) != null) {
            bytesInFlight.addAndGet(-length);
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    chunks.pin(id).close();
                } catch (java.io.IOException | RuntimeException ignored) {
                    // The reader that needs this chunk reads it again and reports what went wrong.
                } finally {
                    bytesInFlight.addAndGet(-length);
                    inFlight.remove(id, f);
                    f.complete(null);
                }
            });
        } catch (RejectedExecutionException busy) {
            bytesInFlight.addAndGet(-length);
            inFlight.remove(id, f);
            f.complete(null);
        }
    }

    /** Counts {@code length} more bytes in flight if they fit; a chunk larger than the limit fits alone. */
    private boolean reserve(int length) {
        while (true) {
            long now = bytesInFlight.get();
            if (now > 0 && now + length > MAX_BYTES_IN_FLIGHT) {
                return false;
            }
            if (bytesInFlight.compareAndSet(now, now + length)) {
                return true;
            }
        }
    }

    /** Waits while chunk {@code id} is being prefetched, so the caller then finds it in the cache. */
    void awaitInFlight(ChunkId id) {
        CompletableFuture<Void> f = inFlight.get(id);
        if (f != null) {
            f.join();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
