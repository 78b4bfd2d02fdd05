package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;

import java.nio.ByteBuffer;

/** Encodes and checks the fixed file header. */
final class SegmentHeader {
    private SegmentHeader() {
    }

    /** The header for a new segment, ready to write. */
    static ByteBuffer encode(byte[] segmentId16) {
        if (segmentId16 == null || segmentId16.length != SEGMENT_ID_LENGTH) {
            throw new IllegalArgumentException("segment id must be " + SEGMENT_ID_LENGTH + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putLong(HEADER_MAGIC_OFF, MAGIC);
        b.putShort(HEADER_VERSION_OFF, (short) VERSION);
        b.put(HEADER_SEGMENT_ID_OFF, segmentId16);
        b.putInt(HEADER_CRC_OFF, crc32c(b, 0, HEADER_CRC_OFF));
        return b;
    }

    /**
     * Checks magic, checksum and version of {@code b[0, HEADER_SIZE)} and returns the segment id. The
     * checksum is checked before the version so a damaged version field reads as damage, not as a
     * file from the future.
     */
    static byte[] decode(ByteBuffer b, String segment) throws CorruptSegmentException, SegmentVersionException {
        long magic = b.getLong(HEADER_MAGIC_OFF);
        if (magic != MAGIC) {
            throw new CorruptSegmentException(segment, "header: magic 0x" + Long.toHexString(magic)
                    + ", expected 0x" + Long.toHexString(MAGIC) + " (\"CAIRNSEG\"): not a cairn segment");
        }
        int stored = b.getInt(HEADER_CRC_OFF);
        int computed = crc32c(b, 0, HEADER_CRC_OFF);
        if (stored != computed) {
            throw new CorruptSegmentException(segment, "header: checksum computed " + hex32(computed)
                    + ", stored " + hex32(stored));
        }
        int version = Short.toUnsignedInt(b.getShort(HEADER_VERSION_OFF));
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new SegmentVersionException(segment, version);
        }
        byte[] id = new byte[SEGMENT_ID_LENGTH];
        b.get(HEADER_SEGMENT_ID_OFF, id);
        return id;
    }
}
