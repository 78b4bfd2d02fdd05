package cairn.store.segment;

import static org.junit.jupiter.api.Assertions.*;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Abort, failure and after-seal behaviour of the writer. */
class SegmentWriterTest {
    @TempDir
    Path dir;

    private static SegmentEntry appendSome(SegmentWriter w, int n) throws IOException {
        byte[] data = new byte[n];
        return w.append(ChunkId.of(data), Codec.RAW, n, data);
    }

    @Test
    void aFailedAppendPoisonsTheWriter() throws IOException {
        Path tmp = dir.resolve("f.tmp");
        SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(5));
        appendSome(w, 10);
        Thread.currentThread().interrupt(); // makes the channel throw and close, as a failing disk would
        try {
            // Larger than the writer's batch buffer, so the append reaches the channel at once.
            assertThrows(ClosedByInterruptException.class, () -> appendSome(w, 2 << 20));
        } finally {
            Thread.interrupted();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> appendSome(w, 10));
        assertTrue(e.getMessage().startsWith("segment writer failed earlier: "), e.getMessage());
        assertInstanceOf(ClosedByInterruptException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> w.seal(dir.resolve("f.seg")));
        w.close();
        assertFalse(Files.exists(tmp));
        assertFalse(Files.exists(dir.resolve("f.seg")));
    }

    @Test
    void aFailedSealPoisonsTheWriter() throws IOException {
        Path tmp = dir.resolve("g.tmp");
        SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(6));
        appendSome(w, 10);
        assertThrows(NoSuchFileException.class, () -> w.seal(dir.resolve("missing").resolve("g.seg")));
        assertThrows(IllegalStateException.class, () -> appendSome(w, 10));
        assertThrows(IllegalStateException.class, () -> w.seal(dir.resolve("g.seg")));
        w.close();
        assertFalse(Files.exists(tmp));
    }

    @Test
    void closeWithoutSealAborts() throws IOException {
        Path tmp = dir.resolve("h.tmp");
        SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(7));
        appendSome(w, 10);
        w.close();
        w.close();
        assertFalse(Files.exists(tmp));
        assertThrows(IllegalStateException.class, () -> appendSome(w, 1));
    }

    @Test
    void theChecksumOfWhatWasWrittenEqualsTheFilesOwn() throws IOException {
        Path fin = dir.resolve("s.seg");
        SegmentWriter w = SegmentWriter.create(dir.resolve("s.tmp"), TestSegments.segmentId(11));
        assertThrows(IllegalStateException.class, w::sha256);
        java.util.Random r = new java.util.Random(3);
        // Small records gather in the writer's buffer, large ones go out directly: both kinds, mixed.
        for (int n : new int[] {10, 0, 70_000, 3 << 20, 5, 1 << 20, 200_000}) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            w.append(ChunkId.of(data), Codec.RAW, n, data);
        }
        w.seal(fin);
        assertArrayEquals(SegmentChecksum.of(fin), w.sha256());
    }

    @Test
    void afterSealTheWriterIsClosedAndCloseKeepsTheFile() throws IOException {
        Path tmp = dir.resolve("i.tmp");
        Path fin = dir.resolve("i.seg");
        SegmentWriter w = SegmentWriter.create(tmp, TestSegments.segmentId(8));
        appendSome(w, 10);
        w.seal(fin);
        assertThrows(IllegalStateException.class, () -> appendSome(w, 1));
        assertThrows(IllegalStateException.class, () -> w.seal(dir.resolve("j.seg")));
        w.close();
        assertEquals(1, SegmentReader.readIndex(fin).size());
    }

    @Test
    void badArgumentsDoNotPoisonTheWriter() throws IOException {
        Path fin = dir.resolve("k.seg");
        try (SegmentWriter w = SegmentWriter.create(dir.resolve("k.tmp"), TestSegments.segmentId(9))) {
            assertThrows(IllegalArgumentException.class,
                    () -> w.append(ChunkId.of(new byte[3]), Codec.RAW, 4, new byte[3]));
            assertThrows(IllegalArgumentException.class,
                    () -> w.append(ChunkId.of(new byte[3]), Codec.ZSTD, -1, new byte[3]));
            appendSome(w, 3);
            w.seal(fin);
        }
        assertEquals(1, SegmentReader.readIndex(fin).size());
    }
}
