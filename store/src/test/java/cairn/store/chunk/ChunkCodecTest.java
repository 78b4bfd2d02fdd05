package cairn.store.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.codec.ChunkCodec;
import cairn.store.codec.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The per-chunk codec (cairn.store.codec), tested here beside the chunks it encodes. */
class ChunkCodecTest {
    private final ChunkCodec codec = new ChunkCodec(ChunkCodec.DEFAULT_LEVEL);

    @Test
    void compressibleDataIsStoredAsZstdAndRoundTrips() throws IOException {
        byte[] text = "the same line again and again\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        ChunkCodec.Encoded e = codec.encode(text, 0, text.length);
        assertEquals(Codec.ZSTD, e.codec());
        assertTrue(e.bytes().length < text.length / 10, "compressed to " + e.bytes().length);
        assertArrayEquals(text, ChunkCodec.decode(e.codec(), e.bytes(), text.length));
    }

    @Test
    void incompressibleDataIsStoredRaw() throws IOException {
        byte[] data = Chunks.random(1, 100_000);
        ChunkCodec.Encoded e = codec.encode(data, 0, data.length);
        assertEquals(Codec.RAW, e.codec());
        assertArrayEquals(data, e.bytes());
        assertArrayEquals(data, ChunkCodec.decode(Codec.RAW, e.bytes(), data.length));
        ChunkCodec.Encoded empty = codec.encode(new byte[0], 0, 0);
        assertEquals(Codec.RAW, empty.codec());
        assertEquals(0, empty.bytes().length);
    }

    @Test
    void encodesJustTheSliceAsked() throws IOException {
        byte[] buf = ("HEADER" + "x".repeat(5000) + "TRAILER").getBytes(StandardCharsets.US_ASCII);
        ChunkCodec.Encoded e = codec.encode(buf, 6, 5000);
        assertArrayEquals("x".repeat(5000).getBytes(StandardCharsets.US_ASCII),
                ChunkCodec.decode(e.codec(), e.bytes(), 5000));
    }

    @Test
    void wrongLengthsAndGarbageAreErrorsNotData() {
        byte[] text = "abcabcabcabcabcabcabcabcabcabcabcabc".repeat(100).getBytes(StandardCharsets.US_ASCII);
        ChunkCodec.Encoded e = codec.encode(text, 0, text.length);
        assertThrows(IOException.class, () -> ChunkCodec.decode(Codec.ZSTD, e.bytes(), text.length - 1));
        assertThrows(IOException.class, () -> ChunkCodec.decode(Codec.ZSTD, e.bytes(), text.length + 1));
        assertThrows(IOException.class, () -> ChunkCodec.decode(Codec.ZSTD, Chunks.random(2, 64), 1000));
        assertThrows(IOException.class, () -> ChunkCodec.decode(Codec.RAW, new byte[10], 11));
        byte[] truncated = java.util.Arrays.copyOf(e.bytes(), e.bytes().length - 3);
        assertThrows(IOException.class, () -> ChunkCodec.decode(Codec.ZSTD, truncated, text.length));
    }

    @Test
    void codecIdsArePermanent() {
        assertEquals(0, Codec.RAW.id());
        assertEquals(1, Codec.ZSTD.id());
        assertEquals(Codec.ZSTD, Codec.fromId(1));
        assertThrows(IllegalArgumentException.class, () -> Codec.fromId(2));
        assertThrows(IllegalArgumentException.class, () -> new ChunkCodec(0));
        assertThrows(IllegalArgumentException.class, () -> new ChunkCodec(20));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        byte[] d = ("chunk " + seed + "/" + i + " ").repeat(50 + i).getBytes(StandardCharsets.US_ASCII);
                        ChunkCodec.Encoded e = codec.encode(d, 0, d.length);
                        assertArrayEquals(d, ChunkCodec.decode(e.codec(), e.bytes(), d.length));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
