package cairn.store.segment;

import static org.junit.jupiter.api.Assertions.*;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.codec.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRoundTripTest {
    @TempDir
    Path dir;

    private static List<byte[]> chunks() {
        Random rnd = new Random(42);
        int[] sizes = {0, 1, 2, 31, 32, 33, 100, 1000, 4096, 65_536, 300_000, 1 << 20, 3_000_000};
        List<byte[]> out = new ArrayList<>();
        for (int size : sizes) {
            byte[] random = new byte[size];
            rnd.nextBytes(random);
            out.add(random);
            byte[] text = new byte[size];
            for (int i = 0; i < size; i++) {
                text[i] = (byte) ('a' + (i * 7 + i / 13) % 5);
            }
            out.add(text);
        }
        return out;
    }

    @Test
    void manyRecordsOfBothCodecsReadBackExactly() throws IOException {
        List<byte[]> raws = chunks();
        TestSegments.Built seg = TestSegments.build(dir, "many.seg", raws, new ChunkCodec(3));
        assertTrue(seg.entries().stream().anyMatch(e -> e.codec() == Codec.RAW));
        assertTrue(seg.entries().stream().anyMatch(e -> e.codec() == Codec.ZSTD));

        assertEquals(seg.entries(), SegmentReader.readIndex(seg.file()));
        try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
            assertArrayEquals(seg.segmentId(), SegmentReader.verifyHeader(ch));
            for (int i = 0; i < raws.size(); i++) {
                SegmentEntry e = seg.entries().get(i);
                byte[] stored = SegmentReader.readStored(ch, e, "many.seg");
                assertArrayEquals(seg.stored().get(i), stored, "record " + i);
                byte[] raw = ChunkCodec.decode(e.codec(), stored, e.rawLength());
                assertArrayEquals(raws.get(i), raw, "record " + i);
                assertEquals(ChunkId.of(raw), e.id());
            }
        }
    }

    @Test
    void sizeAndCountTrackWhatWasWritten() throws IOException {
        byte[] sid = TestSegments.segmentId(1);
        Path tmp = dir.resolve("s.tmp");
        Path fin = dir.resolve("s.seg");
        try (SegmentWriter w = SegmentWriter.create(tmp, sid)) {
            assertEquals(SegmentFormat.HEADER_SIZE, w.size());
            SegmentEntry a = w.append(ChunkId.of(new byte[5]), Codec.RAW, 5, new byte[5]);
            SegmentEntry b = w.append(ChunkId.of(new byte[7]), Codec.RAW, 7, new byte[7]);
            assertEquals(SegmentFormat.HEADER_SIZE, a.offset());
            assertEquals(a.end(), b.offset());
            assertEquals(b.end(), w.size());
            assertEquals(2, w.chunkCount());
            w.seal(fin);
            assertEquals(Files.size(fin), w.size());
        }
    }

    @Test
    void emptySegmentSealsAndReads() throws IOException {
        TestSegments.Built seg = TestSegments.build(dir, "empty.seg", List.of(), new ChunkCodec(3));
        assertEquals(List.of(), SegmentReader.readIndex(seg.file()));
        ScanResult s = SegmentReader.scan(seg.file());
        assertTrue(s.sealed());
        assertEquals(Files.size(seg.file()), s.validLength());
    }

    @Test
    void sealIsAtomicAndNeverReplaces() throws IOException {
        Path tmp = dir.resolve("a.tmp");
        Path fin = dir.resolve("a.seg");
        try (SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(2))) {
            w.append(ChunkId.of(new byte[3]), Codec.RAW, 3, new byte[3]);
            assertTrue(Files.exists(tmp));
            assertFalse(Files.exists(fin));
            w.seal(fin);
        }
        assertFalse(Files.exists(tmp), "tmp file must be gone after seal");
        assertEquals(1, SegmentReader.readIndex(fin).size());

        byte[] before = Files.readAllBytes(fin);
        Path tmp2 = dir.resolve("b.tmp");
        try (SegmentWriter w = SegmentWriter.create(tmp2, TestSegments.segmentId(3))) {
            assertThrows(FileAlreadyExistsException.class, () -> w.seal(fin));
        }
        assertArrayEquals(before, Files.readAllBytes(fin), "a sealed segment must never change");
        assertFalse(Files.exists(tmp2));
    }

    @Test
    void newerVersionIsNamedNotCalledCorrupt() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] f = seg.bytes();
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putShort(SegmentFormat.HEADER_VERSION_OFF, (short) 2);
        b.putInt(SegmentFormat.HEADER_CRC_OFF, SegmentFormat.crc32c(f, 0, SegmentFormat.HEADER_CRC_OFF));
        Files.write(seg.file(), f);
        SegmentVersionException e = assertThrows(SegmentVersionException.class, () -> SegmentReader.readIndex(seg.file()));
        assertEquals("segment small.seg: segment format version 2 is newer than this cairn supports (max 1)", e.getMessage());
        assertThrows(SegmentVersionException.class, () -> SegmentReader.scan(seg.file()));
    }

    @Test
    void errorsSayWhereAndWhat() throws IOException {
        TestSegments.Built seg = TestSegments.small(dir);
        byte[] f = seg.bytes();
        SegmentEntry first = seg.entries().get(0);
        f[(int) first.offset() + SegmentFormat.RECORD_HEADER_SIZE] ^= 1;
        Files.write(seg.file(), f);
        try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> SegmentReader.readStored(ch, first, "small.seg"));
            assertTrue(e.getMessage().matches("segment small\\.seg: record at offset 30: payload checksum computed "
                    + "0x[0-9a-f]{8}, stored 0x[0-9a-f]{8}"), e.getMessage());

            SegmentEntry second = seg.entries().get(1);
            SegmentEntry wrongId = new SegmentEntry(first.id(), second.offset(), second.storedLength(),
                    second.rawLength(), second.codec());
            e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.readStored(ch, wrongId));
            assertTrue(e.getMessage().startsWith("segment (unnamed): record at offset " + second.offset()
                    + ": chunk id " + second.id() + ", expected " + first.id()), e.getMessage());
        }
    }

    @Test
    void createRefusesAnExistingFileAndABadId() throws IOException {
        Path p = dir.resolve("x.tmp");
        Files.write(p, new byte[] {1});
        assertThrows(FileAlreadyExistsException.class, () -> SegmentWriter.create(p, TestSegments.segmentId(1)));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(p));
        Path q = dir.resolve("y.tmp");
        assertThrows(IllegalArgumentException.class, () -> SegmentWriter.create(q, new byte[15]));
        assertFalse(Files.exists(q));
    }
}
