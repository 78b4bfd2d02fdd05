package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.chunk.ChunkId;
import cairn.store.chunk.ChunkStream;
import cairn.store.concurrent.BoundedPool;
import cairn.store.chunk.ChunkerParams;
import cairn.store.chunk.FastCdc;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.ChunkWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads files and turns them into stored contents. Two pools keep both cores busy whatever the mix:
 * readers take whole files (a small file is read, hashed and compressed on its reader's thread), and
 * a large file's chunks fan out to the chunk pool, so one 200 MiB file also uses every core. Both
 * queues are bounded, which bounds memory by a few chunks per thread.
 */
final class FileIngester implements AutoCloseable {
    /**
     * Files up to this size are read ahead by the kernel as they are queued (larger ones get its
     * sequential read-ahead once a reader starts on them). Two readers that each read a small file and
     * then hash and compress it leave the disk idle half the time; the hints keep reads queued on it,
     * which took a cold backup of the bench tree (20,000 files) from 11.8-12.9 s to 10.5-11.8 s.
     */
    static final long HINT_MAX_FILE = 4 << 20;
    /** How far the hints may run ahead of the readers, so hinted pages are not evicted before use. */
    static final long HINT_AHEAD = 32 << 20;

    private final ChunkWriter writer;
    private final Catalog catalog;
    private final FastCdc cdc;
    private final int minChunk;
    private final BackupStats stats;
    private final BoundedPool readers;
    private final BoundedPool chunkers;
    private final ThreadLocal<byte[]> smallBuffers;
    private final AtomicLong hinted = new AtomicLong();

    /** The content of one file, or why it could not be read. */
    record Result(long contentId, long size, IOException error) {
    }

    FileIngester(ChunkWriter writer, Catalog catalog, ChunkerParams params, int threads, BackupStats stats) {
        this.writer = writer;
        this.catalog = catalog;
        this.cdc = new FastCdc(params);
        this.minChunk = params.min();
        this.stats = stats;
        this.readers = new BoundedPool("cairn-read", threads, threads * 64);
        this.chunkers = new BoundedPool("cairn-chunk", threads, threads * 2);
        this.smallBuffers = ThreadLocal.withInitial(() -> new byte[minChunk]);
    }

    Future<Result> submit(Path file, long expectedSize) {
        boolean hint = expectedSize > 0 && expectedSize <= HINT_MAX_FILE
                && hinted.get() + expectedSize <= HINT_AHEAD;
        if (hint) {
            hinted.addAndGet(expectedSize);
            Posix.willNeed(RawPaths.bytes(file));
        }
        return readers.submit(() -> {
            if (hint) {
                hinted.addAndGet(-expectedSize);
            }
            return ingest(file, expectedSize);
        });
    }

    /** Bytes of queued files that the kernel was asked to read ahead and no reader has started on. */
    long hintedBytes() {
        return hinted.get();
    }

    private Result ingest(Path file, long expectedSize) {
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            ChunkList list = expectedSize < minChunk ? readSmall(ch) : readLarge(Channels.newInputStream(ch));
            long id;
            synchronized (catalog) {
                try {
                    id = catalog.contents().intern(list);
                } catch (IOException e) {
                    throw new StoreFailure(e);
                }
            }
            stats.filesRead.incrementAndGet();
            return new Result(id, list.size(), null);
        } catch (IOException e) {
            return new Result(0, 0, e);
        }
    }

    /** A file smaller than the minimum chunk is one chunk: read it whole, store it on this thread. */
    private ChunkList readSmall(SeekableByteChannel ch) throws IOException {
        byte[] buf = smallBuffers.get();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
        while (bb.hasRemaining() && ch.read(bb) >= 0) {
            // keep reading until full or end of file
        }
        if (!bb.hasRemaining()) {
            // It grew past the minimum since it was listed: chunk it like any large file.
            ch.position(0);
            return readLarge(Channels.newInputStream(ch));
        }
        ChunkList.Builder b = new ChunkList.Builder();
        int n = bb.position();
        if (n > 0) {
            byte[] data = java.util.Arrays.copyOf(buf, n);
            b.add(store(data), n);
            stats.bytesRead.addAndGet(n);
        }
        return b.build();
    }

    private ChunkId store(byte[] data) {
        try {
            return writer.put(data);
        } catch (IOException e) {
            throw new StoreFailure(e);
        }
    }

    private ChunkList readLarge(InputStream in) throws IOException {
        ChunkStream chunks = new ChunkStream(in, cdc);
        List<Future<ChunkId>> ids = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        try {
            for (byte[] c = chunks.next(); c != null; c = chunks.next()) {
                byte[] data = c;
                ids.add(chunkers.submit(() -> store(data)));
                lengths.add(data.length);
                stats.bytesRead.addAndGet(data.length);
            }
            ChunkList.Builder b = new ChunkList.Builder();
            for (int i = 0; i < ids.size(); i++) {
                b.add(ids.get(i).get(), lengths.get(i));
            }
            return b.build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            ids.forEach(f -> f.cancel(false));
            Throwable c = e.getCause();
            // A failure to store is the repository's problem, not this file's: it must stop the backup.
            throw c instanceof StoreFailure sf ? sf : new StoreFailure(new IOException(c));
        }
    }

    @Override
    public void close() {
        readers.close();
        chunkers.close();
    }

    /** Writing to the repository failed: unlike a read error, this ends the backup. */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException io() {
            return (IOException) getCause();
        }
    }
}
