package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads segments. Every check failure is a {@link CorruptSegmentException} naming the segment, the
 * offset and what differed; a segment from a newer cairn is a {@link SegmentVersionException}.
 * Stateless and thread-safe; channels may be shared since all reads are positional.
 */
public final class SegmentReader {
    static final String UNNAMED = "(unnamed)";

    // Records up to this size are read through a per-thread direct buffer: the kernel fills it
    // directly and the payload is copied once, into the array we return. A heap buffer would cost
    // the JDK's hidden copy plus ours.
    private static final int CACHED_READ_LIMIT = 8 << 20;
    private static final int LARGE_READ_PIECE = 1 << 20;
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    private SegmentReader() {
    }

    /**
     * The index of a sealed segment, after checking header, trailer and index checksum and that the
     * records tile the file. Records themselves are checked later, one by one, by {@link #readStored}.
     */
    public static List<SegmentEntry> readIndex(Path sealedFile) throws IOException {
        try (FileChannel ch = FileChannel.open(sealedFile, StandardOpenOption.READ)) {
            return readIndex(ch, name(sealedFile));
        }
    }

    static List<SegmentEntry> readIndex(FileChannel ch, String segment) throws IOException {
        return readIndex(ch::read, ch.size(), segment);
    }

    /** {@link #readIndex(Path)} of a segment of {@code size} bytes read through {@code in}. */
    public static List<SegmentEntry> readIndex(PositionalInput ch, long size, String segment) throws IOException {
        if (size < HEADER_SIZE + TRAILER_SIZE) {
            throw new CorruptSegmentException(segment, "file is " + size + " bytes, a sealed segment has at least "
                    + (HEADER_SIZE + TRAILER_SIZE));
        }
        verifyHeader(ch, segment);
        SegmentFooter.Trailer t = SegmentFooter.decodeTrailer(
                readFully(ch, size - TRAILER_SIZE, TRAILER_SIZE, segment, "trailer"), size, segment);
        ByteBuffer index = readFully(ch, t.indexOffset(), t.count() * INDEX_ENTRY_SIZE, segment, "index");
        return List.copyOf(SegmentFooter.decodeIndex(index, t, segment));
    }

    /** Checks the file header (magic, checksum, version) and returns the 16-byte segment id. */
    public static byte[] verifyHeader(FileChannel ch) throws IOException {
        return verifyHeader(ch, UNNAMED);
    }

    public static byte[] verifyHeader(FileChannel ch, String segmentName) throws IOException {
        return verifyHeader((PositionalInput) ch::read, segmentName);
    }

    public static byte[] verifyHeader(PositionalInput ch, String segmentName) throws IOException {
        return SegmentHeader.decode(readFully(ch, 0, HEADER_SIZE, segmentName, "header"), segmentName);
    }

    /** {@link #readStored(FileChannel, SegmentEntry, String)} for a caller that has no name at hand. */
    public static byte[] readStored(FileChannel ch, SegmentEntry expected) throws IOException {
        return readStored(ch, expected, UNNAMED);
    }

    /**
     * Reads one record with a single positional read and returns its payload as stored (decode it
     * with {@code ChunkCodec.decode}). The record header must carry exactly the id, lengths and codec
     * of {@code expected}, and the payload must match its checksum.
     */
    public static byte[] readStored(FileChannel ch, SegmentEntry expected, String segmentName) throws IOException {
        return readStored((PositionalInput) ch::read, expected, segmentName);
    }

    /** {@link #readStored(FileChannel, SegmentEntry, String)} from a segment wherever it is. */
    public static byte[] readStored(PositionalInput ch, SegmentEntry expected, String segmentName) throws IOException {
        byte[] payload = new byte[expected.storedLength()];
        checkedRecord(ch, expected, segmentName).get(RECORD_HEADER_SIZE, payload);
        return payload;
    }

    /**
     * {@link #readStored(PositionalInput, SegmentEntry, String)} into {@code dst[0, storedLength)}, for a
     * reader that reuses one buffer for every record instead of allocating one per chunk.
     */
    public static void readStoredInto(PositionalInput ch, SegmentEntry expected, String segmentName, byte[] dst)
            throws IOException {
        if (RECORD_HEADER_SIZE + (long) expected.storedLength() > CACHED_READ_LIMIT) {
            readLargeInto(ch, expected, segmentName, dst);
            return;
        }
        checkedRecord(ch, expected, segmentName).get(RECORD_HEADER_SIZE, dst, 0, expected.storedLength());
    }

    /**
     * A record too large for the per-thread buffer (an image's 64 MiB block): its header read alone and
     * its payload straight into {@code dst}, so the payload is not held twice on the heap. Read in
     * pieces: the JDK reads into a per-thread direct buffer as large as the read, and keeps it.
     */
    private static void readLargeInto(PositionalInput ch, SegmentEntry expected, String segmentName, byte[] dst)
            throws IOException {
        String where = "record at offset " + expected.offset();
        int n = RECORD_HEADER_SIZE + expected.storedLength();
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_SIZE);
        int got = read(ch, header, expected.offset());
        RecordHeader h = got < RECORD_HEADER_SIZE ? null : checkHeader(header, expected, segmentName);
        ByteBuffer payload = ByteBuffer.wrap(dst, 0, expected.storedLength());
        long payloadAt = expected.offset() + RECORD_HEADER_SIZE;
        while (h != null && payload.position() < expected.storedLength()) {
            payload.limit(Math.min(expected.storedLength(), payload.position() + LARGE_READ_PIECE));
            if (ch.read(payload, payloadAt + payload.position()) < 0) {
                break;
            }
        }
        got += payload.position();
        if (got < n) {
            throw new CorruptSegmentException(segmentName, where + ": file ends after " + got + " of its " + n + " bytes");
        }
        int crc = crc32c(dst, 0, expected.storedLength());
        if (crc != h.payloadCrc()) {
            throw new CorruptSegmentException(segmentName, where + ": payload checksum computed " + hex32(crc)
                    + ", stored " + hex32(h.payloadCrc()));
        }
    }

    /** The whole record in a (per-thread) buffer, its header and payload checksum verified against {@code expected}. */
    private static ByteBuffer checkedRecord(PositionalInput ch, SegmentEntry expected, String segmentName)
            throws IOException {
        int n = Math.addExact(RECORD_HEADER_SIZE, expected.storedLength());
        ByteBuffer b = readBuffer(n);
        int got = read(ch, b, expected.offset());
        if (got < n) {
            throw new CorruptSegmentException(segmentName, "record at offset " + expected.offset()
                    + ": file ends after " + got + " of its " + n + " bytes");
        }
        RecordHeader h = checkHeader(b, expected, segmentName);
        String where = "record at offset " + expected.offset();
        int crc = crc32c(b, RECORD_HEADER_SIZE, n);
        if (crc != h.payloadCrc()) {
            throw new CorruptSegmentException(segmentName, where + ": payload checksum computed " + hex32(crc)
                    + ", stored " + hex32(h.payloadCrc()));
        }
        return b;
    }

    /** The record header at the start of {@code b}, which must describe exactly {@code expected}. */
    private static RecordHeader checkHeader(ByteBuffer b, SegmentEntry expected, String segmentName)
            throws IOException {
        RecordHeader h = RecordHeader.decode(b, 0, segmentName, expected.offset());
        String where = "record at offset " + expected.offset();
        if (!h.id().equals(expected.id())) {
            throw mismatch(segmentName, where, "chunk id", h.id(), expected.id());
        }
        if (h.codec() != expected.codec()) {
            throw mismatch(segmentName, where, "codec", h.codec(), expected.codec());
        }
        if (h.rawLength() != expected.rawLength()) {
            throw mismatch(segmentName, where, "raw length", h.rawLength(), expected.rawLength());
        }
        if (h.storedLength() != expected.storedLength()) {
            throw mismatch(segmentName, where, "stored length", h.storedLength(), expected.storedLength());
        }
        return h;
    }

    /**
     * Recovers what it can from a segment left by a crash (or any segment): walks records from the
     * header and stops at the first one that is torn or damaged. A file whose header is missing or
     * damaged has nothing recoverable and throws {@link CorruptSegmentException}.
     */
    public static ScanResult scan(Path anyFile) throws IOException {
        return SegmentScan.scan(anyFile);
    }

    private static CorruptSegmentException mismatch(String segment, String where, String field, Object found, Object expected) {
        return new CorruptSegmentException(segment, where + ": " + field + " " + found + ", expected " + expected);
    }

    static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    static ByteBuffer readFully(FileChannel ch, long pos, int len, String segment, String what) throws IOException {
        return readFully((PositionalInput) ch::read, pos, len, segment, what);
    }

    static int read(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        return read((PositionalInput) ch::read, b, pos);
    }

    /** Exactly {@code len} bytes at {@code pos} in a fresh heap buffer, or a corruption error at EOF. */
    static ByteBuffer readFully(PositionalInput ch, long pos, int len, String segment, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        int got = read(ch, b, pos);
        if (got < len) {
            throw new CorruptSegmentException(segment, what + " at offset " + pos + ": file ends after " + got
                    + " of its " + len + " bytes");
        }
        return b;
    }

    /** Fills {@code b} from {@code pos} on; returns the bytes read, fewer only at end of file. */
    static int read(PositionalInput ch, ByteBuffer b, long pos) throws IOException {
        int start = b.position();
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + (b.position() - start));
            if (r < 0) {
                break;
            }
        }
        return b.position() - start;
    }

    private static ByteBuffer readBuffer(int n) {
        if (n > CACHED_READ_LIMIT) {
            return ByteBuffer.allocate(n);
        }
        ByteBuffer b = READ_BUFFER.get();
        if (b.capacity() < n) {
            b = ByteBuffer.allocateDirect(Math.min(CACHED_READ_LIMIT, Math.max(n, 2 * b.capacity())));
            READ_BUFFER.set(b);
        }
        return b.clear().limit(n);
    }
}
