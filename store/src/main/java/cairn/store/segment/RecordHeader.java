package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.nio.ByteBuffer;

/** The fixed header in front of each record's payload: encoding, and decoding with all checks. */
record RecordHeader(ChunkId id, Codec codec, int rawLength, int storedLength, int payloadCrc) {

    /** Fills {@code dst[0, RECORD_HEADER_SIZE)}; a reused array keeps append free of allocation. */
    static void encode(byte[] dst, ChunkId id, Codec codec, int rawLength, int storedLength, int payloadCrc) {
        ByteBuffer b = ByteBuffer.wrap(dst);
        b.putInt(RECORD_MARKER_OFF, RECORD_MARKER);
        id.copyTo(dst, RECORD_ID_OFF);
        b.put(RECORD_CODEC_OFF, (byte) codec.id());
        b.putInt(RECORD_RAW_LENGTH_OFF, rawLength);
        b.putInt(RECORD_STORED_LENGTH_OFF, storedLength);
        b.putInt(RECORD_PAYLOAD_CRC_OFF, payloadCrc);
        b.putInt(RECORD_HEADER_CRC_OFF, crc32c(dst, 0, RECORD_HEADER_CRC_OFF));
    }

    /**
     * Decodes the header at {@code b[at, at + RECORD_HEADER_SIZE)}, which was read from file offset
     * {@code fileOffset}. Marker and header checksum come first: until they pass, no field is trusted.
     */
    static RecordHeader decode(ByteBuffer b, int at, String segment, long fileOffset) throws CorruptSegmentException {
        String where = "record at offset " + fileOffset;
        int marker = b.getInt(at + RECORD_MARKER_OFF);
        if (marker != RECORD_MARKER) {
            throw new CorruptSegmentException(segment, where + ": marker " + hex32(marker) + ", expected "
                    + hex32(RECORD_MARKER) + " (\"CHNK\")");
        }
        int stored = b.getInt(at + RECORD_HEADER_CRC_OFF);
        int computed = crc32c(b, at, at + RECORD_HEADER_CRC_OFF);
        if (stored != computed) {
            throw new CorruptSegmentException(segment, where + ": header checksum computed " + hex32(computed)
                    + ", stored " + hex32(stored));
        }
        byte[] id = new byte[CHUNK_ID_LENGTH];
        b.get(at + RECORD_ID_OFF, id);
        int codecId = Byte.toUnsignedInt(b.get(at + RECORD_CODEC_OFF));
        int raw = b.getInt(at + RECORD_RAW_LENGTH_OFF);
        int storedLength = b.getInt(at + RECORD_STORED_LENGTH_OFF);
        return new RecordHeader(ChunkId.fromBytes(id), codec(codecId, segment, where),
                length(raw, segment, where, "raw"), length(storedLength, segment, where, "stored"),
                b.getInt(at + RECORD_PAYLOAD_CRC_OFF));
    }

    static Codec codec(int id, String segment, String where) throws CorruptSegmentException {
        try {
            return Codec.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException(segment, where + ": unknown codec id " + id);
        }
    }

    /** Lengths are u32 on disk but Java arrays stop at 2^31 - 1; cairn never writes more. */
    static int length(int u32, String segment, String where, String name) throws CorruptSegmentException {
        if (u32 < 0) {
            throw new CorruptSegmentException(segment, where + ": " + name + " length "
                    + Integer.toUnsignedString(u32) + " exceeds " + Integer.MAX_VALUE);
        }
        return u32;
    }
}
