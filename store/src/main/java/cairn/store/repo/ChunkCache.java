package cairn.store.repo;

import cairn.store.chunk.ChunkId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decompressed chunks, least-recently-used out, bounded by total bytes, so a chunk read twice (a
 * duplicate file, a sequential reader crossing small reads) is decompressed once. Thread-safe.
 *
 * <p>The buffers are recycled. A mount streams hundreds of MB through this cache; with a fresh array
 * per chunk the collector copied every cached chunk from young to old space and then compacted the old
 * space every few hundred MB, about a tenth of the mount's CPU. Here an evicted buffer goes to a small
 * free list, grouped by capacity class, and the next chunk of that class is decompressed into it. A
 * reader therefore never keeps a cached array: it {@linkplain #pin pins} the entry, copies out what it
 * needs and unpins it, and a buffer is recycled only once it is out of the cache and unpinned.
 */
public final class ChunkCache {
    private static final int MIN_CLASS = 64 << 10;

    private final long maxBytes;
    private final long maxFreeBytes;
    private long bytes;
    private long freeBytes;
    private final LinkedHashMap<ChunkId, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();

    public ChunkCache(long maxBytes) {
        this.maxBytes = maxBytes;
        this.maxFreeBytes = maxBytes / 4;
    }

    /** A cached chunk's bytes, {@code data()[0, length())}, valid until {@link #close}. */
    public final class Entry implements AutoCloseable {
        private final ChunkId id;
        private final byte[] buf;
        private final int length;
        private int pins;
        private boolean cached;

        private Entry(ChunkId id, byte[] buf, int length) {
            this.id = id;
            this.buf = buf;
            this.length = length;
        }

        public byte[] data() {
            return buf;
        }

        public int length() {
            return length;
        }

        /** Unpins: the buffer may be reused for another chunk once it has also left the cache. */
        @Override
        public void close() {
            unpin(this);
        }
    }

    /** The cached entry for {@code id}, pinned (close it when done), or null. */
    public synchronized Entry pin(ChunkId id) {
        Entry e = map.get(id);
        if (e != null) {
            e.pins++;
        }
        return e;
    }

    /** A buffer of at least {@code length} bytes to decode a chunk into, recycled when one fits. */
    public byte[] borrow(int length) {
        int capacity = capacityClass(length);
        synchronized (this) {
            ArrayDeque<byte[]> q = free.get(capacity);
            byte[] b = q == null ? null : q.pollLast();
            if (b != null) {
                freeBytes -= b.length;
                return b;
            }
        }
        return new byte[capacity];
    }

    /** Hands back a borrowed buffer that was not {@linkplain #insert inserted}. */
    public synchronized void giveBack(byte[] buf) {
        recycle(buf);
    }

    /**
     * Caches {@code buf[0, length)} (a {@link #borrow}ed buffer, now owned by the cache) as chunk
     * {@code id} and returns its entry pinned. When another thread cached the same chunk meanwhile,
     * that entry is returned and {@code buf} is recycled.
     */
    public synchronized Entry insert(ChunkId id, byte[] buf, int length) {
        Entry existing = map.get(id);
        if (existing != null) {
            existing.pins++;
            recycle(buf);
            return existing;
        }
        Entry e = new Entry(id, buf, length);
        e.pins = 1;
        if (buf.length > maxBytes) {
            return e; // too big to keep: used once by the caller, then recycled (or dropped) on close
        }
        e.cached = true;
        map.put(id, e);
        bytes += buf.length;
        Iterator<Entry> it = map.values().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Entry old = it.next();
            it.remove();
            bytes -= old.buf.length;
            old.cached = false;
            if (old.pins == 0) {
                recycle(old.buf);
            }
        }
        return e;
    }

    private synchronized void unpin(Entry e) {
        if (--e.pins == 0 && !e.cached) {
            recycle(e.buf);
        }
    }

    private void recycle(byte[] buf) {
        if (freeBytes + buf.length > maxFreeBytes || buf.length != capacityClass(buf.length)) {
            return; // left to the collector
        }
        free.computeIfAbsent(buf.length, k -> new ArrayDeque<>()).addLast(buf);
        freeBytes += buf.length;
    }

    /**
     * Buffer sizes come in classes a quarter of a power of two apart (1 MiB, 1.25, 1.5, 1.75, 2, 2.5 ...),
     * so content-defined chunks of nearby sizes share buffers while wasting at most a fifth of one.
     */
    static int capacityClass(int length) {
        if (length <= MIN_CLASS) {
            return MIN_CLASS;
        }
        int step = Integer.highestOneBit(length - 1) >> 2;
        return (int) Math.min(Integer.MAX_VALUE - 8, ((long) length + step - 1) / step * step);
    }
}
