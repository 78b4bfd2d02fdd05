package cairn.store.repo;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkLocation;
import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.codec.Codec;
import cairn.store.segment.PositionalInput;
import cairn.store.segment.SegmentEntry;
import cairn.store.segment.SegmentReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads chunks back: catalog location → positional read of the record (checksummed) → decompress →
 * SHA-256 must equal the id. Wrong bytes never leave this class. Thread-safe; each thread looks up
 * locations through its own catalog connection.
 *
 * <p>A segment is read from the local file when there is one, else from the targets holding a
 * verified copy, one after another until one gives the right bytes: a target that is down, or a
 * copy that fails its checks, makes the read fall over to the next copy.
 */
public final class ChunkReader implements AutoCloseable {
    private static final int KEPT_STORED_BUFFER = 16 << 20;
    private static final ThreadLocal<byte[]> STORED = ThreadLocal.withInitial(() -> new byte[0]);

    private final Supplier<Catalog> catalogOfThread;
    private final SegmentFiles files;
    private final RemoteCopies remote;
    private final ChunkCache cache;

    ChunkReader(RepoLayout layout, Supplier<Catalog> catalogOfThread, ChunkCache cache) {
        this.catalogOfThread = catalogOfThread;
        this.files = new SegmentFiles(layout, 64);
        this.remote = new RemoteCopies(layout, catalogOfThread);
        this.cache = cache;
    }

    /** The chunk's bytes in an array of the caller's own, from the cache or the segment holding it. */
    public byte[] read(ChunkId id) throws IOException {
        try (ChunkCache.Entry e = pin(id)) {
            return Arrays.copyOf(e.data(), e.length());
        }
    }

    /**
     * The chunk in the cache, pinned there until the caller closes the entry: a reader that copies out
     * part of a chunk (the mount) does so without an array per chunk.
     */
    public ChunkCache.Entry pin(ChunkId id) throws IOException {
        ChunkCache.Entry hit = cache.pin(id);
        if (hit != null) {
            return hit;
        }
        ChunkLocation loc = locate(id);
        byte[] buf = cache.borrow(loc.rawLength());
        try {
            readInto(loc, buf);
        } catch (IOException | RuntimeException e) {
            cache.giveBack(buf);
            throw e;
        }
        return cache.insert(id, buf, loc.rawLength());
    }

    /**
     * The chunk's bytes without keeping them in the cache: for a reader that passes over each chunk
     * once (restore), where caching would only push out what other readers need.
     */
    public byte[] readOnce(ChunkId id) throws IOException {
        try (ChunkCache.Entry hit = cache.pin(id)) {
            if (hit != null) {
                return Arrays.copyOf(hit.data(), hit.length());
            }
        }
        return read(locate(id));
    }

    private ChunkLocation locate(ChunkId id) throws IOException {
        ChunkLocation loc = catalogOfThread.get().chunks().locate(id);
        if (loc == null) {
            throw new ChunkUnavailableException("chunk " + id + " is not in the catalog", null);
        }
        return loc;
    }

    /** Reads and verifies one chunk at a known location, bypassing the cache. */
    public byte[] read(ChunkLocation loc) throws IOException {
        byte[] raw = new byte[loc.rawLength()];
        readInto(loc, raw);
        return raw;
    }

    /** Decodes the chunk at {@code loc} into {@code dst[0, rawLength)}: from the local segment, else from a target. */
    private void readInto(ChunkLocation loc, byte[] dst) throws IOException {
        String segment = loc.segmentName();
        IOException localFailure;
        try {
            decode(files.channel(segment)::read, loc, dst);
            return;
        } catch (IOException e) {
            localFailure = e;
        }
        List<RemoteCopies.Holder> holders = remote.holders(segment);
        if (holders.isEmpty()) {
            throw new ChunkUnavailableException("chunk " + loc.id() + " in segment " + segment + " cannot be read: "
                    + localFailure.getMessage(), segment, localFailure);
        }
        List<String> tried = new ArrayList<>();
        if (!(localFailure instanceof NoSuchFileException)) {
            tried.add("local copy: " + localFailure.getMessage());
        }
        IOException last = localFailure;
        for (RemoteCopies.Holder h : holders) {
            try {
                readRemote(remote.open(h, segment), loc, dst);
                return;
            } catch (IOException e) {
                String which = "target " + h.row().name();
                String why = String.valueOf(e.getMessage());
                tried.add(why.startsWith(which) ? why : which + ": " + why);
                last = e;
            }
        }
        throw new ChunkUnavailableException("chunk " + loc.id() + " in segment " + segment
                + " cannot be read from any copy (" + String.join("; ", tried) + ")", segment, last);
    }

    /** A remote copy read through the block cache; a cached block that fails a check is fetched once more. */
    private void readRemote(RemoteCopies.Copy copy, ChunkLocation loc, byte[] dst) throws IOException {
        try {
            decode(copy.segment(), loc, dst);
        } catch (cairn.store.targets.TargetUnavailableException e) {
            throw e;
        } catch (IOException e) {
            copy.segment().discard(loc.offset(), loc.storedLength() + cairn.store.segment.SegmentFormat.RECORD_HEADER_SIZE);
            decode(copy.segment(), loc, dst);
        }
    }

    /**
     * The footer index of a segment that is not here, from the first target whose copy gives a valid
     * one; fails naming the targets tried.
     */
    public List<SegmentEntry> readIndexElsewhere(String segment) throws IOException {
        List<String> tried = new ArrayList<>();
        IOException last = null;
        for (RemoteCopies.Holder h : remote.holders(segment)) {
            try {
                return SegmentReader.readIndex(remote.open(h, segment).segment(), h.bytes(), segment + ".seg");
            } catch (IOException e) {
                String which = "target " + h.row().name();
                String why = String.valueOf(e.getMessage());
                tried.add(why.startsWith(which) ? why : which + ": " + why);
                last = e;
            }
        }
        if (tried.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(segment + ".seg", null, "missing, and no target holds a copy");
        }
        throw new IOException("no copy of segment " + segment + " could be read (" + String.join("; ", tried) + ")", last);
    }

    /**
     * Reads the record (checksummed) into a per-thread buffer, decodes it into {@code dst} and checks that
     * the result hashes to the chunk's id. A raw record is read straight into {@code dst}.
     */
    private static void decode(PositionalInput in, ChunkLocation loc, byte[] dst) throws IOException {
        SegmentEntry expected = new SegmentEntry(loc.id(), loc.offset(), loc.storedLength(), loc.rawLength(), loc.codec());
        String segment = loc.segmentName() + ".seg";
        if (loc.codec() == Codec.RAW && loc.storedLength() == loc.rawLength()) {
            SegmentReader.readStoredInto(in, expected, segment, dst);
        } else {
            byte[] stored = storedBuffer(loc.storedLength());
            SegmentReader.readStoredInto(in, expected, segment, stored);
            ChunkCodec.decodeInto(loc.codec(), stored, loc.storedLength(), dst, loc.rawLength());
        }
        if (!ChunkId.of(dst, 0, loc.rawLength()).equals(loc.id())) {
            throw new IOException("the decoded chunk does not match its id (corrupt data)");
        }
    }

    /** This thread's buffer for a stored record; one of the very largest is allocated for the occasion instead. */
    private static byte[] storedBuffer(int length) {
        if (length > KEPT_STORED_BUFFER) {
            return new byte[length];
        }
        byte[] b = STORED.get();
        if (b.length < length) {
            b = new byte[Math.min(KEPT_STORED_BUFFER, Math.max(length, 2 * b.length))];
            STORED.set(b);
        }
        return b;
    }

    @Override
    public void close() {
        files.close();
        remote.close();
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
