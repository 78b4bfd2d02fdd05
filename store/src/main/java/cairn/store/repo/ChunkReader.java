package cairn.store.repo;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkLocation;
import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.segment.SegmentEntry;
import cairn.store.segment.SegmentReader;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads chunks back: catalog location → positional read of the record (checksummed) → decompress →
 * SHA-256 must equal the id. Wrong bytes never leave this class. Thread-safe; each thread looks up
 * locations through its own catalog connection.
 */
public final class ChunkReader implements AutoCloseable {
    private final Supplier<Catalog> catalogOfThread;
    private final SegmentFiles files;
    private final ChunkCache cache;

    ChunkReader(RepoLayout layout, Supplier<Catalog> catalogOfThread, ChunkCache cache) {
        this.catalogOfThread = catalogOfThread;
        this.files = new SegmentFiles(layout, 64);
        this.cache = cache;
    }

    /** The chunk's bytes, from the cache or the segment holding it. */
    public byte[] read(ChunkId id) throws IOException {
        byte[] hit = cache.get(id);
        if (hit != null) {
            return hit;
        }
        byte[] data = readOnce(id);
        cache.put(id, data);
        return data;
    }

    /**
     * The chunk's bytes without keeping them in the cache: for a reader that passes over each chunk
     * once (restore), where caching would only push out what other readers need and churn the heap.
     */
    public byte[] readOnce(ChunkId id) throws IOException {
        byte[] hit = cache.get(id);
        if (hit != null) {
            return hit;
        }
        ChunkLocation loc = catalogOfThread.get().chunks().locate(id);
        if (loc == null) {
            throw new ChunkUnavailableException("chunk " + id + " is not in the catalog", null);
        }
        return read(loc);
    }

    /** Reads and verifies one chunk at a known location, bypassing the cache. */
    public byte[] read(ChunkLocation loc) throws IOException {
        byte[] raw;
        try {
            SegmentEntry expected = new SegmentEntry(loc.id(), loc.offset(), loc.storedLength(), loc.rawLength(),
                    loc.codec());
            byte[] stored = SegmentReader.readStored(files.channel(loc.segmentName()), expected);
            raw = ChunkCodec.decode(loc.codec(), stored, loc.rawLength());
        } catch (IOException e) {
            throw new ChunkUnavailableException("chunk " + loc.id() + " in segment " + loc.segmentName()
                    + " cannot be read: " + e.getMessage(), loc.segmentName(), e);
        }
        if (!ChunkId.of(raw).equals(loc.id())) {
            throw new ChunkUnavailableException("chunk " + loc.id() + " in segment " + loc.segmentName()
                    + " does not match its id (corrupt data)", loc.segmentName(), null);
        }
        return raw;
    }

    @Override
    public void close() {
        files.close();
    }

    /** A chunk could not be produced with the right bytes; names the segment it needs. */
    public static final class ChunkUnavailableException extends IOException {
        private final String segment;

        ChunkUnavailableException(String message, String segment, Throwable cause) {
            super(message, cause);
            this.segment = segment;
        }

        ChunkUnavailableException(String message, Throwable cause) {
            this(message, null, cause);
        }

        /** The segment that held the chunk, or null when the catalog had no location. */
        public String segment() {
            return segment;
        }
    }
}
