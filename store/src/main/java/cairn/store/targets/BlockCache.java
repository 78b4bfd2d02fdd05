package cairn.store.targets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Blocks of remote segments kept on local disk ({@code cache/} in the repository), least recently
 * used out once the total passes its bound. A chunk read from a target fetches the
 * {@link #BLOCK}-sized block around it, never the whole segment, and the next ones in the background:
 * chunks of one file lie one after another in a segment, so a sequential reader finds them here.
 *
 * <p>Nothing here is trusted: every chunk read through a block is checked against its record
 * checksum and its id by the reader, which {@link #discard discards} a block that fails and reads
 * again from the target. Files appear by atomic rename, so another process sharing the cache sees
 * whole blocks or none; eviction by one process merely makes another fetch again. Thread-safe.
 *
 * <p>A reader that needs a block another thread is already fetching (often a read-ahead thread) waits
 * for that fetch, but only while it gets somewhere: when its target has not been heard from for longer
 * than the fetch's own {@link Fetch#silenceBoundMs() bound} (which should have failed it by then), the
 * reader stops waiting, whatever became of the other thread, and fetches the block itself: from a target
 * found failing meanwhile that fails at once, and the reader moves on to the next copy.
 */
public final class BlockCache implements AutoCloseable {
    public static final int BLOCK = 4 << 20;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /**
     * Blocks fetched ahead of a sequential reader, by {@link #FETCHERS} threads. With 3 blocks on 2
     * threads a restore of the 200 MiB bench file from a loopback SFTP target took 4.36-4.43 s; with 8
     * on 3 it took 3.88-4.15 s (32 MiB ahead: a fetch waits on the host's disk and on decryption).
     */
    static final int READ_AHEAD = 8;
    private static final int FETCHERS = 3;

    private final Path dir;
    private final long maxBytes;
    private final LinkedHashMap<String, Long> lru = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService ahead = Executors.newFixedThreadPool(FETCHERS, r -> {
        Thread t = new Thread(r, "cairn-read-ahead");
        t.setDaemon(true);
        return t;
    });

    /** A fetch of one block from its target. */
    public interface Fetch {
        /**
         * Fills {@code dst} with the block and returns how many bytes the target gave, calling
         * {@code progress} whenever the target is heard from meanwhile.
         */
        int fetch(byte[] dst, Runnable progress) throws IOException;

        /**
         * The longest this fetch goes without calling {@code progress} before failing by itself; 0 when
         * it has no such bound, and another thread waiting for it waits it out.
         */
        default long silenceBoundMs() {
            return 0;
        }
    }

    /** A fetch under way: its outcome, its bound, and when its target was last heard from. */
    private static final class InFlight {
        final CompletableFuture<Path> done = new CompletableFuture<>();
        final long silenceBoundMs;
        volatile long heardNs = System.nanoTime();

        InFlight(long silenceBoundMs) {
            this.silenceBoundMs = silenceBoundMs;
        }
    }

    public BlockCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        loadExisting();
    }

    private void loadExisting() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".blk")).sorted(
                    Comparator.comparingLong(BlockCache::mtime)).toList();
            for (Path p : files) {
                long n = Files.size(p);
                lru.put(p.getFileName().toString(), n);
                bytes += n;
            }
            evict();
        } catch (IOException | UncheckedIOException e) {
            // An unreadable cache is an empty one; blocks are fetched again.
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    static String key(long target, String segment, long block) {
        return segment + "-t" + target + "-b" + block + ".blk";
    }

    /**
     * Reads from the cached block {@code key} at {@code within} into {@code dst}, fetching the block
     * first when it is not here; returns the bytes read (-1 when {@code within} is past the block's end).
     */
    public int read(String key, int blockLength, Fetch fetch, ByteBuffer dst, long within) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path file = ensure(key, blockLength, fetch);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                touch(key);
                return ch.read(dst, within);
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    throw e;
                }
                forget(key); // evicted by another process meanwhile: fetch again
            }
        }
    }

    /** Starts fetching {@code key} in the background unless it is here or on its way. */
    public void prefetch(String key, int blockLength, Fetch fetch) {
        synchronized (this) {
            if (lru.containsKey(key) || inFlight.containsKey(key)) {
                return;
            }
        }
        ahead.execute(() -> {
            try {
                ensure(key, blockLength, fetch);
            } catch (IOException | RuntimeException ignored) {
                // Read-ahead is a guess; the reader fetches for itself and reports what fails.
            }
        });
    }

    private Path ensure(String key, int blockLength, Fetch fetch) throws IOException {
        Path file = dir.resolve(key);
        synchronized (this) {
            if (lru.containsKey(key) && Files.exists(file)) {
                return file;
            }
        }
        InFlight registered;
        while (true) {
            registered = new InFlight(fetch.silenceBoundMs());
            InFlight other = inFlight.putIfAbsent(key, registered);
            if (other == null) {
                break;
            }
            Path theirs = await(key, other);
            if (theirs != null) {
                return theirs;
            }
        }
        InFlight mine = registered;
        try {
            byte[] buf = new byte[blockLength];
            int n = fetch.fetch(buf, () -> mine.heardNs = System.nanoTime());
            if (n != blockLength) {
                throw new IOException("target returned " + n + " bytes of a " + blockLength + "-byte block (file shorter than recorded)");
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(key + "." + ThreadLocalRandom.current().nextLong() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(buf);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            // No fsync: after a crash a torn block fails its checksums and is fetched again.
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            synchronized (this) {
                Long old = lru.put(key, (long) blockLength);
                bytes += blockLength - (old == null ? 0 : old);
                evict();
            }
            mine.done.complete(file);
            return file;
        } catch (IOException | RuntimeException e) {
            mine.done.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * The outcome of another thread's fetch of {@code key}. When that fetch has a silence bound, waits
     * only while it hears from its target: a quarter of the bound past it (the fetch should have failed
     * by itself by then), gives up and forgets that fetch, so that this reader, and any after it, fetch
     * the block for themselves; returns null then.
     */
    private Path await(String key, InFlight f) throws IOException {
        long silenceBoundMs = f.silenceBoundMs;
        try {
            if (silenceBoundMs <= 0) {
                return f.done.get();
            }
            long limitNs = TimeUnit.MILLISECONDS.toNanos(silenceBoundMs + Math.max(silenceBoundMs / 4, 200));
            long sliceMs = Math.max(20, Math.min(500, silenceBoundMs / 10));
            while (true) {
                try {
                    return f.done.get(sliceMs, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (System.nanoTime() - f.heardNs >= limitNs) {
                        inFlight.remove(key, f);
                        return null;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching a block", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private synchronized void touch(String key) {
        lru.get(key);
    }

    private synchronized void forget(String key) {
        Long n = lru.remove(key);
        if (n != null) {
            bytes -= n;
        }
    }

    /** Drops a block whose contents failed a check, so the next read fetches it again. */
    public void discard(String key) {
        forget(key);
        try {
            Files.deleteIfExists(dir.resolve(key));
        } catch (IOException ignored) {
            // The next fetch replaces it by rename anyway.
        }
    }

    private void evict() {
        var it = lru.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            bytes -= e.getValue();
            it.remove();
            try {
                Files.deleteIfExists(dir.resolve(e.getKey()));
            } catch (IOException ignored) {
                // Left for the next eviction pass of whoever opens the cache.
            }
        }
    }

    @Override
    public void close() {
        ahead.shutdownNow();
    }
}
