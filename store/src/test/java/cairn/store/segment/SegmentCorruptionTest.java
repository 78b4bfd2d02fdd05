package cairn.store.segment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No damage to a sealed segment may go unnoticed or hand back wrong bytes. */
class SegmentCorruptionTest {
    @TempDir
    Path dir;

    @Test
    void everySingleByteCorruptionIsDetected() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] good = seg.bytes();
        Path f = dir.resolve("damaged.seg");
        int[] patterns = {0x01, 0x80, 0xff}; // lowest bit, highest bit, whole byte
        for (int i = 0; i < good.length; i++) {
            for (int pattern : patterns) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) pattern;
                Files.write(f, bad);
                assertDetected(f, seg, i, "byte " + i + " ^ 0x" + Integer.toHexString(pattern));
            }
        }
    }

    /** Either the index is refused, or reading the record that holds byte {@code at} fails. */
    private static void assertDetected(Path f, TestSegments.Built seg, int at, String what) throws IOException {
        List<SegmentEntry> index;
        try {
            index = SegmentReader.readIndex(f);
        } catch (CorruptSegmentException expected) {
            return;
        }
        assertEquals(seg.entries(), index, what + ": an index that passes its checks must be the true one");
        boolean caught = false;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            for (int r = 0; r < index.size(); r++) {
                SegmentEntry e = index.get(r);
                boolean holdsByte = at >= e.offset() && at < e.end();
                try {
                    byte[] stored = SegmentReader.readStored(ch, e);
                    assertFalse(holdsByte, what + ": record " + r + " read without complaint");
                    assertArrayEquals(seg.stored().get(r), stored, what + ": wrong bytes from record " + r);
                } catch (CorruptSegmentException expected) {
                    assertTrue(holdsByte, what + ": record " + r + " failed but the damage is elsewhere");
                    caught = true;
                }
            }
        }
        assertTrue(caught, what + ": damage went unnoticed");
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] good = seg.bytes();
        Path f = dir.resolve("short.seg");
        for (int len = 0; len < good.length; len++) {
            Files.write(f, Arrays.copyOf(good, len));
            int l = len;
            assertThrows(CorruptSegmentException.class, () -> SegmentReader.readIndex(f), "truncated to " + l);
        }
    }

    /** A writer bug would be checksummed faithfully; the index must still tile the file. */
    @Test
    void anIndexThatDisagreesWithTheRecordsIsRefusedDespiteValidChecksums() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] f = seg.bytes();
        ByteBuffer b = ByteBuffer.wrap(f);
        int trailer = f.length - SegmentFormat.TRAILER_SIZE;
        int index = (int) b.getLong(trailer + SegmentFormat.TRAILER_INDEX_OFFSET_OFF);
        int second = index + SegmentFormat.INDEX_ENTRY_SIZE;
        b.putLong(second + SegmentFormat.INDEX_OFFSET_OFF, b.getLong(second + SegmentFormat.INDEX_OFFSET_OFF) + 1);
        b.putInt(trailer + SegmentFormat.TRAILER_INDEX_CRC_OFF, SegmentFormat.crc32c(f, index, trailer));
        b.putInt(trailer + SegmentFormat.TRAILER_CRC_OFF,
                SegmentFormat.crc32c(f, trailer, trailer + SegmentFormat.TRAILER_CRC_OFF));
        Files.write(seg.file(), f);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.readIndex(seg.file()));
        assertTrue(e.getMessage().contains("index entry 1 at offset " + second + ": record offset"), e.getMessage());
    }

    @Test
    void readStoredPastTheEndIsCorruptionNotAShortArray() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        SegmentEntry last = seg.entries().get(2);
        SegmentEntry beyond = new SegmentEntry(last.id(), Files.size(seg.file()) - 10, 100, 100, last.codec());
        try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> SegmentReader.readStored(ch, beyond));
            assertTrue(e.getMessage().contains("file ends after 10 of its 153 bytes"), e.getMessage());
        }
    }
}
