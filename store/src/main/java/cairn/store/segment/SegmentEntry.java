package cairn.store.segment;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.util.Objects;

/**
 * Where one chunk lives in a segment: {@code offset} is the file offset of its record header,
 * {@code storedLength} the length of the payload as stored (compressed or raw), {@code rawLength}
 * the chunk's length after decoding.
 */
public record SegmentEntry(ChunkId id, long offset, int storedLength, int rawLength, Codec codec) {
    public SegmentEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(codec, "codec");
        if (offset < 0 || storedLength < 0 || rawLength < 0) {
            throw new IllegalArgumentException("negative offset or length: offset " + offset + ", stored "
                    + storedLength + ", raw " + rawLength);
        }
    }

    /** The file offset just past this record's payload: where the next record starts. */
    public long end() {
        return offset + SegmentFormat.RECORD_HEADER_SIZE + storedLength;
    }
}
