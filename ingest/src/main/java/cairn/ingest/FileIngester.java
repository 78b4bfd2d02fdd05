package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.chunk.ChunkId;
import cairn.store.chunk.ChunkStream;
import cairn.store.concurrent.BoundedPool;
import cairn.store.chunk.ChunkerParams;
import cairn.store.chunk.FastCdc;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.UnixCalls;
import cairn.store.image.DataRegions;
import cairn.store.repo.ChunkWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads files and turns them into stored contents. Two pools keep both cores busy whatever the mix:
 * readers take small files in batches (read, hashed and compressed on the reader's thread, then
 * stored and recorded together) and large files one at a time, whose chunks fan out to the chunk
 * pool, so one 200 MiB file also uses every core. Both queues are bounded, which bounds memory by a
 * few chunks per thread.
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
    /**
     * Small files go to the readers in batches: one task and one thread hand-off for many files, where
     * a tree of small files otherwise spends much of its CPU waking threads.
     */
    static final int BATCH_FILES = 32;
    static final long BATCH_BYTES = 1 << 20;
    /** Holes at least this long are skipped; shorter ones are read as zeros, so chunks are not cut around them. */
    static final long MIN_HOLE = 1 << 20;
    /** A long hole is recorded in pieces: a chunk list's lengths are 32-bit. */
    static final long HOLE_ITEM = 1 << 30;

    private final ChunkWriter writer;
    private final Catalog catalog;
    private final FastCdc cdc;
    private final int minChunk;
    private final BackupStats stats;
    private final BoundedPool readers;
    private final BoundedPool chunkers;
    private final ThreadLocal<byte[]> smallBuffers;
    private final AtomicLong hinted = new AtomicLong();
    /** Small files not yet handed to a reader (touched by the walker's thread only). */
    private List<Queued> batch = new ArrayList<>();
    private long batchBytes;

    /** A file to read: {@code name} in the directory open as {@code dirFd}, which is {@code file}. */
    private record Queued(int dirFd, byte[] name, Path file, long size, boolean hinted,
                          CompletableFuture<Result> result) {
    }

    /**
     * The content of one file and what fstat(2) said of the file it was read from (which may have
     * replaced the one listed), or why it could not be read.
     */
    record Result(long contentId, long size, FileStat read, IOException error) {
    }

    /** A small file's bytes and its fstat(2) when opened. */
    private record SmallFile(byte[] data, FileStat stat) {
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

    /**
     * Queues a file to be read: {@code name} in the directory open as {@code dirFd} (a whole path with
     * {@link UnixCalls#AT_FDCWD}), which must stay open until the result is in; {@code file} is its path,
     * for messages. A small file joins the batch being gathered, which goes to a reader when it is full or
     * at {@link #flush}: the caller must flush before it waits for any result. Called from one thread
     * (the walker).
     */
    Future<Result> submit(int dirFd, byte[] name, Path file, long expectedSize) {
        boolean hint = expectedSize > 0 && expectedSize <= HINT_MAX_FILE
                && hinted.get() + expectedSize <= HINT_AHEAD;
        if (hint) {
            hinted.addAndGet(expectedSize);
            Posix.willNeed(dirFd, name);
        }
        Queued q = new Queued(dirFd, name, file, expectedSize, hint, new CompletableFuture<>());
        if (expectedSize >= minChunk) {
            readers.submit(() -> run(List.of(q)));
            return q.result();
        }
        batch.add(q);
        batchBytes += expectedSize;
        if (batch.size() >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
            flush();
        }
        return q.result();
    }

    /** Hands the small files gathered so far to a reader. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<Queued> files = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        readers.submit(() -> run(files));
    }

    /**
     * Reads a batch and stores it: small files are read whole and stored together ({@link
     * ChunkWriter#putAll}), and their contents recorded under one hold of the catalog; a large file
     * is chunked on its own. The results are given out together at the end: the walker waits for
     * them in order, and results given one at a time would wake it once per file.
     */
    private Void run(List<Queued> files) {
        Object[] outcomes = new Object[files.size()];
        List<Integer> small = new ArrayList<>();
        List<SmallFile> smallData = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            Queued q = files.get(i);
            if (q.hinted()) {
                hinted.addAndGet(-q.size());
            }
            try {
                SmallFile data = q.size() < minChunk ? readSmall(q) : null;
                if (data == null) {
                    outcomes[i] = ingest(q);
                } else {
                    small.add(i);
                    smallData.add(data);
                }
            } catch (RuntimeException | Error e) {
                outcomes[i] = e;
            } catch (IOException e) {
                outcomes[i] = new Result(0, 0, null, e);
            }
        }
        try {
            storeSmall(small, smallData, outcomes);
        } catch (RuntimeException | Error e) {
            for (int i : small) {
                outcomes[i] = e;
            }
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof Result r) {
                files.get(i).result().complete(r);
            } else {
                files.get(i).result().completeExceptionally((Throwable) outcomes[i]);
            }
        }
        return null;
    }

    /** Stores the small files' bytes together, and records each one's content. */
    private void storeSmall(List<Integer> small, List<SmallFile> data, Object[] outcomes) {
        if (small.isEmpty()) {
            return;
        }
        List<byte[]> chunks = new ArrayList<>(data.size());
        for (SmallFile f : data) {
            if (f.data().length > 0) {
                chunks.add(f.data());
            }
        }
        List<ChunkId> ids;
        try {
            ids = writer.putAll(chunks);
        } catch (IOException e) {
            throw new StoreFailure(e);
        }
        synchronized (catalog) {
            int next = 0;
            for (int k = 0; k < small.size(); k++) {
                int n = data.get(k).data().length;
                ChunkList.Builder b = new ChunkList.Builder();
                if (n > 0) {
                    b.add(ids.get(next++), n);
                }
                outcomes[small.get(k)] = new Result(intern(b.build()), n, data.get(k).stat(), null);
                stats.bytesRead.addAndGet(n);
                stats.filesRead.incrementAndGet();
            }
        }
    }

    /** Bytes of queued files that the kernel was asked to read ahead and no reader has started on. */
    long hintedBytes() {
        return hinted.get();
    }

    /** A large file, or a small one that grew past the minimum chunk since it was listed: chunked. */
    private Result ingest(Queued q) throws IOException {
        try (ListedPaths.OpenFile f = ListedPaths.openFile(q.dirFd(), q.name(), q.file())) {
            ChunkList list = readLarge(f);
            long id;
            synchronized (catalog) {
                id = intern(list);
            }
            stats.filesRead.incrementAndGet();
            return new Result(id, list.size(), f.stat(), null);
        }
    }

    /** The caller holds the catalog's lock. */
    private long intern(ChunkList list) {
        try {
            return catalog.contents().intern(list);
        } catch (IOException e) {
            throw new StoreFailure(e);
        }
    }

    /**
     * A file smaller than the minimum chunk is one chunk: its bytes, or null when it has grown to the
     * minimum since it was listed (then it is chunked like any large file).
     */
    private SmallFile readSmall(Queued q) throws IOException {
        byte[] buf = smallBuffers.get();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
        try (ListedPaths.OpenFile f = ListedPaths.openFile(q.dirFd(), q.name(), q.file())) {
            while (bb.hasRemaining() && f.channel().read(bb) >= 0) {
                // keep reading until full or end of file
            }
            return bb.hasRemaining() ? new SmallFile(java.util.Arrays.copyOf(buf, bb.position()), f.stat()) : null;
        }
    }

    private ChunkId store(byte[] data) {
        try {
            return writer.put(data);
        } catch (IOException e) {
            throw new StoreFailure(e);
        }
    }

    /**
     * Chunks a large file. A sparse file's holes of {@link #MIN_HOLE} and more are not read: they are
     * recorded as holes (zeros, nothing stored), and the data between them is chunked region by region.
     * A 100 GiB virtual disk holding 5 GiB reads 5 GiB.
     */
    private ChunkList readLarge(ListedPaths.OpenFile f) throws IOException {
        List<Future<ChunkId>> ids = new ArrayList<>(); // null: a hole
        List<Integer> lengths = new ArrayList<>();
        try {
            List<long[]> holes = DataRegions.holes(f.fd(), f.stat().size(), MIN_HOLE);
            if (holes.isEmpty()) {
                f.channel().position(0); // lseek moved the descriptor's offset while looking for holes
                chunk(Channels.newInputStream(f.channel()), ids, lengths);
            } else {
                long pos = 0;
                for (long[] hole : holes) {
                    chunk(new RangeInputStream(f.channel(), pos, hole[0]), ids, lengths);
                    for (long at = hole[0]; at < hole[1]; at += HOLE_ITEM) {
                        ids.add(null);
                        lengths.add((int) Math.min(HOLE_ITEM, hole[1] - at));
                    }
                    pos = hole[1];
                }
                chunk(new RangeInputStream(f.channel(), pos, f.stat().size()), ids, lengths);
            }
            ChunkList.Builder b = new ChunkList.Builder();
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null) {
                    b.addHole(lengths.get(i));
                } else {
                    b.add(ids.get(i).get(), lengths.get(i));
                }
            }
            return b.build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            ids.forEach(id -> {
                if (id != null) {
                    id.cancel(false);
                }
            });
            Throwable c = e.getCause();
            // A failure to store is the repository's problem, not this file's: it must stop the backup.
            throw c instanceof StoreFailure sf ? sf : new StoreFailure(new IOException(c));
        }
    }

    /** Splits {@code in} into chunks, queued for storing in order. */
    private void chunk(InputStream in, List<Future<ChunkId>> ids, List<Integer> lengths) throws IOException {
        ChunkStream chunks = new ChunkStream(in, cdc);
        for (byte[] c = chunks.next(); c != null; c = chunks.next()) {
            byte[] data = c;
            ids.add(chunkers.submit(() -> store(data)));
            lengths.add(data.length);
            stats.bytesRead.addAndGet(data.length);
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
