package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The constants must say what FORMAT.md says; a slip here would be a silent format change. */
class SegmentFormatTest {
    private static String ascii(long v) {
        return new String(ByteBuffer.allocate(8).putLong(0, v).array(), StandardCharsets.US_ASCII);
    }

    @Test
    void magicsSpellTheirNames() {
        assertEquals("CAIRNSEG", ascii(MAGIC));
        assertEquals("CAIRNEND", ascii(END_MAGIC));
        assertEquals("CHNK", ascii(RECORD_MARKER).substring(4));
    }

    @Test
    void fieldsAreContiguous() {
        assertEquals(HEADER_MAGIC_OFF + 8, HEADER_VERSION_OFF);
        assertEquals(HEADER_VERSION_OFF + 2, HEADER_SEGMENT_ID_OFF);
        assertEquals(HEADER_SEGMENT_ID_OFF + SEGMENT_ID_LENGTH, HEADER_CRC_OFF);
        assertEquals(HEADER_CRC_OFF + 4, HEADER_SIZE);

        assertEquals(RECORD_MARKER_OFF + 4, RECORD_ID_OFF);
        assertEquals(RECORD_ID_OFF + CHUNK_ID_LENGTH, RECORD_CODEC_OFF);
        assertEquals(RECORD_CODEC_OFF + 1, RECORD_RAW_LENGTH_OFF);
        assertEquals(RECORD_RAW_LENGTH_OFF + 4, RECORD_STORED_LENGTH_OFF);
        assertEquals(RECORD_STORED_LENGTH_OFF + 4, RECORD_PAYLOAD_CRC_OFF);
        assertEquals(RECORD_PAYLOAD_CRC_OFF + 4, RECORD_HEADER_CRC_OFF);
        assertEquals(RECORD_HEADER_CRC_OFF + 4, RECORD_HEADER_SIZE);

        assertEquals(INDEX_ID_OFF + CHUNK_ID_LENGTH, INDEX_OFFSET_OFF);
        assertEquals(INDEX_OFFSET_OFF + 8, INDEX_STORED_LENGTH_OFF);
        assertEquals(INDEX_STORED_LENGTH_OFF + 4, INDEX_RAW_LENGTH_OFF);
        assertEquals(INDEX_RAW_LENGTH_OFF + 4, INDEX_CODEC_OFF);
        assertEquals(INDEX_CODEC_OFF + 1, INDEX_ENTRY_SIZE);

        assertEquals(TRAILER_COUNT_OFF + 4, TRAILER_INDEX_OFFSET_OFF);
        assertEquals(TRAILER_INDEX_OFFSET_OFF + 8, TRAILER_INDEX_CRC_OFF);
        assertEquals(TRAILER_INDEX_CRC_OFF + 4, TRAILER_CRC_OFF);
        assertEquals(TRAILER_CRC_OFF + 4, TRAILER_END_MAGIC_OFF);
        assertEquals(TRAILER_END_MAGIC_OFF + 8, TRAILER_SIZE);
    }
}
