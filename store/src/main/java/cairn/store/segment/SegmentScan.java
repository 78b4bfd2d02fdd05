package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Crash recovery: finds the intact prefix of a segment by walking its records, so the catalog's
 * chunk table can be rebuilt from segments alone. Unlike {@link SegmentReader#readIndex} it trusts
 * no footer, and it checks every payload, because after a crash a record's header may have reached
 * the disk while its payload did not.
 */
final class SegmentScan {
    private SegmentScan() {
    }

    static ScanResult scan(Path file) throws IOException {
        String segment = SegmentReader.name(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] segmentId = SegmentReader.verifyHeader(ch, segment);
            List<SegmentEntry> entries = new ArrayList<>();
            long pos = HEADER_SIZE;
            ByteBuffer hb = ByteBuffer.allocate(RECORD_HEADER_SIZE);
            while (size - pos >= RECORD_HEADER_SIZE) {
                SegmentEntry e = record(ch, hb, pos, size, segment);
                if (e == null) {
                    break;
                }
                entries.add(e);
                pos = e.end();
            }
            boolean sealed = footerMatches(ch, size, pos, entries, segment);
            return new ScanResult(segmentId, List.copyOf(entries), sealed ? size : pos, sealed);
        }
    }

    /** The intact record at {@code pos}, or null if there is none: the valid prefix ends here. */
    private static SegmentEntry record(FileChannel ch, ByteBuffer hb, long pos, long size, String segment)
            throws IOException {
        SegmentReader.read(ch, hb.clear(), pos);
        RecordHeader h;
        try {
            h = RecordHeader.decode(hb, 0, segment, pos);
        } catch (CorruptSegmentException notARecord) {
            return null; // torn, damaged, or the start of the index
        }
        if (pos + RECORD_HEADER_SIZE + h.storedLength() > size) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(h.storedLength());
        SegmentReader.read(ch, payload, pos + RECORD_HEADER_SIZE);
        if (crc32c(payload, 0, h.storedLength()) != h.payloadCrc()) {
            return null;
        }
        return new SegmentEntry(h.id(), pos, h.storedLength(), h.rawLength(), h.codec());
    }

    /** Whether the rest of the file is a valid footer describing exactly {@code entries}. */
    private static boolean footerMatches(FileChannel ch, long size, long pos, List<SegmentEntry> entries,
            String segment) throws IOException {
        if (size - pos < TRAILER_SIZE) {
            return false;
        }
        try {
            ByteBuffer tb = SegmentReader.readFully(ch, size - TRAILER_SIZE, TRAILER_SIZE, segment, "trailer");
            SegmentFooter.Trailer t = SegmentFooter.decodeTrailer(tb, size, segment);
            if (t.indexOffset() != pos || t.count() != entries.size()) {
                return false;
            }
            ByteBuffer ib = SegmentReader.readFully(ch, pos, t.count() * INDEX_ENTRY_SIZE, segment, "index");
            return SegmentFooter.decodeIndex(ib, t, segment).equals(entries);
        } catch (CorruptSegmentException e) {
            return false;
        }
    }
}
