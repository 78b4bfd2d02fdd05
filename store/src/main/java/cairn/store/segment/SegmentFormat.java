package cairn.store.segment;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte layout of a segment file, one constant per row of the offset tables in
 * {@code store/FORMAT.md} ("Segment files"). All numbers are big-endian and fixed-width. Changing a
 * value here changes the on-disk format: bump {@link #VERSION} and keep reading the old layout.
 */
public final class SegmentFormat {
    private SegmentFormat() {
    }

    /** "CAIRNSEG": first 8 bytes of every segment. */
    public static final long MAGIC = 0x434149524E534547L;
    /** "CAIRNEND": last 8 bytes of a sealed segment. */
    public static final long END_MAGIC = 0x434149524E454E44L;
    /** "CHNK": first 4 bytes of every record, so a scan can tell a record from the index. */
    public static final int RECORD_MARKER = 0x43484E4B;

    /** The version this code writes. */
    public static final int VERSION = 1;
    /** Oldest and newest versions this code reads. */
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 1;

    public static final int SEGMENT_ID_LENGTH = 16;
    public static final int CHUNK_ID_LENGTH = 32;

    // File header. These 30 bytes keep this layout in every version, so a reader can check the
    // header checksum before it trusts the version field.
    public static final int HEADER_MAGIC_OFF = 0;
    public static final int HEADER_VERSION_OFF = 8;
    public static final int HEADER_SEGMENT_ID_OFF = 10;
    public static final int HEADER_CRC_OFF = 26;
    public static final int HEADER_SIZE = 30;

    // Record header, followed by storedLength payload bytes.
    public static final int RECORD_MARKER_OFF = 0;
    public static final int RECORD_ID_OFF = 4;
    public static final int RECORD_CODEC_OFF = 36;
    public static final int RECORD_RAW_LENGTH_OFF = 37;
    public static final int RECORD_STORED_LENGTH_OFF = 41;
    public static final int RECORD_PAYLOAD_CRC_OFF = 45;
    public static final int RECORD_HEADER_CRC_OFF = 49;
    public static final int RECORD_HEADER_SIZE = 53;

    // Footer index: one entry per record, in file order.
    public static final int INDEX_ID_OFF = 0;
    public static final int INDEX_OFFSET_OFF = 32;
    public static final int INDEX_STORED_LENGTH_OFF = 40;
    public static final int INDEX_RAW_LENGTH_OFF = 44;
    public static final int INDEX_CODEC_OFF = 48;
    public static final int INDEX_ENTRY_SIZE = 49;

    // Trailer: the last bytes of a sealed file, read first.
    public static final int TRAILER_COUNT_OFF = 0;
    public static final int TRAILER_INDEX_OFFSET_OFF = 4;
    public static final int TRAILER_INDEX_CRC_OFF = 12;
    public static final int TRAILER_CRC_OFF = 16;
    public static final int TRAILER_END_MAGIC_OFF = 20;
    public static final int TRAILER_SIZE = 28;

    /** CRC32C of {@code b[from, to)}, leaving the buffer's position and limit alone. */
    static int crc32c(ByteBuffer b, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }

    static int crc32c(byte[] b, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(b, from, to - from);
        return (int) crc.getValue();
    }

    static String hex32(int v) {
        return String.format("0x%08x", v);
    }
}
