package cairn.store.segment;

import static org.junit.jupiter.api.Assertions.*;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentScanTest {
    @TempDir
    Path dir;

    @Test
    void sealedFileScansAsSealedWithAllEntries() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        ScanResult s = SegmentReader.scan(seg.file());
        assertTrue(s.sealed());
        assertEquals(seg.entries(), s.entries());
        assertEquals(Files.size(seg.file()), s.validLength());
        assertArrayEquals(seg.segmentId(), s.segmentId16());
    }

    @Test
    void truncationAnywhereKeepsExactlyTheCompleteRecords() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] good = seg.bytes();
        Path f = dir.resolve("torn.seg");
        for (int len = SegmentFormat.HEADER_SIZE; len < good.length; len++) {
            Files.write(f, Arrays.copyOf(good, len));
            ScanResult s = SegmentReader.scan(f);
            int l = len;
            List<SegmentEntry> complete = seg.entries().stream().filter(e -> e.end() <= l).toList();
            long validLength = complete.isEmpty() ? SegmentFormat.HEADER_SIZE : complete.get(complete.size() - 1).end();
            assertEquals(complete, s.entries(), "truncated to " + len);
            assertEquals(validLength, s.validLength(), "truncated to " + len);
            assertFalse(s.sealed(), "truncated to " + len);
        }
    }

    @Test
    void aTornHeaderHasNothingToRecover() throws IOException {
        byte[] good = TestSegments.small(dir).bytes();
        Path f = dir.resolve("torn.seg");
        for (int len = 0; len < SegmentFormat.HEADER_SIZE; len++) {
            Files.write(f, Arrays.copyOf(good, len));
            assertThrows(CorruptSegmentException.class, () -> SegmentReader.scan(f));
        }
    }

    @Test
    void unsealedFileOfAnOpenWriterScansWhole() throws IOException {
        Path tmp = dir.resolve("open.tmp");
        try (SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(4))) {
            SegmentEntry a = w.append(ChunkId.of(new byte[10]), Codec.RAW, 10, new byte[10]);
            // A record larger than the writer's batch buffer writes out what was batched, then itself.
            byte[] big = new byte[2 << 20];
            SegmentEntry b = w.append(ChunkId.of(big), Codec.RAW, big.length, big);
            ScanResult s = SegmentReader.scan(tmp);
            assertEquals(List.of(a, b), s.entries());
            assertEquals(w.size(), s.validLength());
            assertFalse(s.sealed());
        }
    }

    @Test
    void scanStopsAtADamagedPayload() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] f = seg.bytes();
        SegmentEntry second = seg.entries().get(1);
        f[(int) second.offset() + SegmentFormat.RECORD_HEADER_SIZE + 2] ^= 0x40;
        Files.write(seg.file(), f);
        ScanResult s = SegmentReader.scan(seg.file());
        assertEquals(seg.entries().subList(0, 1), s.entries());
        assertEquals(second.offset(), s.validLength());
        assertFalse(s.sealed());
    }
}
