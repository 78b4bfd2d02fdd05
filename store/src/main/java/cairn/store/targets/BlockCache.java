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
    private final Map<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService ahead = Executors.newFixedThreadPool(FETCHERS, r -> {
        Thread t = new Thread(r, "cairn-read-ahead");
        t.setDaemon(true);
        return t;
    });

    /** A fetch of one block from its target. */
    public interface Fetch {
        int fetch(byte[] dst) throws IOException;
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
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> other = inFlight.putIfAbsent(key, mine);
        if (other != null) {
            return await(other);
        }
        try {
            byte[] buf = new byte[blockLength];
            int n = fetch.fetch(buf);
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
            mine.complete(file);
            return file;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static Path await(CompletableFuture<Path> f) throws IOException {
        try {
            return f.get();
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
