package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;

import cairn.store.codec.Codec;
import cairn.store.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The footer of a sealed segment: the index of all records, then the trailer that locates it. */
final class SegmentFooter {
    private SegmentFooter() {
    }

    record Trailer(int count, long indexOffset, int indexCrc) {
    }

    /** Index and trailer for {@code entries}, with the index starting at file offset {@code indexOffset}. */
    static ByteBuffer encode(List<SegmentEntry> entries, long indexOffset) {
        int indexSize = Math.multiplyExact(entries.size(), INDEX_ENTRY_SIZE);
        ByteBuffer b = ByteBuffer.allocate(indexSize + TRAILER_SIZE);
        int at = 0;
        for (SegmentEntry e : entries) {
            e.id().copyTo(b.array(), at + INDEX_ID_OFF);
            b.putLong(at + INDEX_OFFSET_OFF, e.offset());
            b.putInt(at + INDEX_STORED_LENGTH_OFF, e.storedLength());
            b.putInt(at + INDEX_RAW_LENGTH_OFF, e.rawLength());
            b.put(at + INDEX_CODEC_OFF, (byte) e.codec().id());
            at += INDEX_ENTRY_SIZE;
        }
        b.putInt(at + TRAILER_COUNT_OFF, entries.size());
        b.putLong(at + TRAILER_INDEX_OFFSET_OFF, indexOffset);
        b.putInt(at + TRAILER_INDEX_CRC_OFF, crc32c(b, 0, indexSize));
        b.putInt(at + TRAILER_CRC_OFF, crc32c(b, at, at + TRAILER_CRC_OFF));
        b.putLong(at + TRAILER_END_MAGIC_OFF, END_MAGIC);
        return b;
    }

    /**
     * Checks the trailer {@code b[0, TRAILER_SIZE)} of a file of {@code fileSize} bytes, including that
     * header, records, index and trailer add up to exactly the file, so the index can be read blindly.
     */
    static Trailer decodeTrailer(ByteBuffer b, long fileSize, String segment) throws CorruptSegmentException {
        String where = "trailer at offset " + (fileSize - TRAILER_SIZE);
        long magic = b.getLong(TRAILER_END_MAGIC_OFF);
        if (magic != END_MAGIC) {
            throw new CorruptSegmentException(segment, where + ": end magic 0x" + Long.toHexString(magic)
                    + ", expected 0x" + Long.toHexString(END_MAGIC) + " (\"CAIRNEND\"): torn or never sealed");
        }
        int stored = b.getInt(TRAILER_CRC_OFF);
        int computed = crc32c(b, 0, TRAILER_CRC_OFF);
        if (stored != computed) {
            throw new CorruptSegmentException(segment, where + ": checksum computed " + hex32(computed)
                    + ", stored " + hex32(stored));
        }
        long count = Integer.toUnsignedLong(b.getInt(TRAILER_COUNT_OFF));
        long indexOffset = b.getLong(TRAILER_INDEX_OFFSET_OFF);
        long indexEnd = fileSize - TRAILER_SIZE;
        if (indexOffset < HEADER_SIZE || indexOffset > indexEnd || (indexEnd - indexOffset) != count * INDEX_ENTRY_SIZE) {
            throw new CorruptSegmentException(segment, where + ": index of " + count + " entries at offset "
                    + indexOffset + " should end at the trailer, offset " + indexEnd);
        }
        if (count * INDEX_ENTRY_SIZE > Integer.MAX_VALUE) {
            throw new CorruptSegmentException(segment, where + ": index of " + count + " entries is too large to read");
        }
        return new Trailer((int) count, indexOffset, b.getInt(TRAILER_INDEX_CRC_OFF));
    }

    /**
     * Decodes the index {@code b[0, count * INDEX_ENTRY_SIZE)}. Besides the checksum it requires the
     * records to tile the file from the header to the index, which catches a writer bug the checksum
     * would faithfully preserve.
     */
    static List<SegmentEntry> decodeIndex(ByteBuffer b, Trailer t, String segment) throws CorruptSegmentException {
        int computed = crc32c(b, 0, t.count() * INDEX_ENTRY_SIZE);
        if (computed != t.indexCrc()) {
            throw new CorruptSegmentException(segment, "index at offset " + t.indexOffset() + ": checksum computed "
                    + hex32(computed) + ", stored " + hex32(t.indexCrc()));
        }
        List<SegmentEntry> entries = new ArrayList<>(t.count());
        long next = HEADER_SIZE;
        byte[] id = new byte[CHUNK_ID_LENGTH];
        for (int i = 0; i < t.count(); i++) {
            int at = i * INDEX_ENTRY_SIZE;
            String where = "index entry " + i + " at offset " + (t.indexOffset() + at);
            b.get(at + INDEX_ID_OFF, id);
            long offset = b.getLong(at + INDEX_OFFSET_OFF);
            int stored = RecordHeader.length(b.getInt(at + INDEX_STORED_LENGTH_OFF), segment, where, "stored");
            int raw = RecordHeader.length(b.getInt(at + INDEX_RAW_LENGTH_OFF), segment, where, "raw");
            Codec codec = RecordHeader.codec(Byte.toUnsignedInt(b.get(at + INDEX_CODEC_OFF)), segment, where);
            if (offset != next) {
                throw new CorruptSegmentException(segment, where + ": record offset " + offset + ", expected " + next);
            }
            SegmentEntry e = new SegmentEntry(ChunkId.fromBytes(id), offset, stored, raw, codec);
            entries.add(e);
            next = e.end();
        }
        if (next != t.indexOffset()) {
            throw new CorruptSegmentException(segment, "index at offset " + t.indexOffset()
                    + ": records end at offset " + next + ", expected the index to start there");
        }
        return entries;
    }
}
