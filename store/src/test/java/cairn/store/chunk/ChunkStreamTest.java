package cairn.store.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chunk stream hands back exactly its input, cut the same way however the input arrives. */
class ChunkStreamTest {
    private static final ChunkerParams P = Chunks.SMALL;

    @Test
    void chunksConcatenateToExactlyTheInput() throws IOException {
        int[] sizes = {0, 1, P.min() - 1, P.min(), P.min() + 1, P.max() - 1, P.max(), P.max() + 1, 2 * P.max(),
            3 * P.max() + 17, 1 << 20};
        for (int n : sizes) {
            byte[] data = Chunks.random(n, n);
            List<byte[]> chunks = Chunks.split(data, P);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] c : chunks) {
                assertTrue(c.length > 0, "empty chunk for input of " + n + " bytes");
                joined.write(c);
            }
            assertArrayEquals(data, joined.toByteArray(), "input of " + n + " bytes");
            assertEquals(n == 0 ? 0 : 1, Math.min(chunks.size(), 1));
        }
    }

    @Test
    void aTricklingStreamIsCutExactlyLikeAWholeOne() throws IOException {
        byte[] data = Chunks.random(5, 300_000);
        List<byte[]> whole = Chunks.split(data, P);
        List<byte[]> trickled = Chunks.split(new Trickle(data), P);
        assertEquals(whole.size(), trickled.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), trickled.get(i), "chunk " + i);
        }
    }

    @Test
    void afterTheEndItKeepsSayingNull() throws IOException {
        ChunkStream s = new ChunkStream(new ByteArrayInputStream(new byte[10]), new FastCdc(P));
        assertEquals(10, s.next().length);
        assertNull(s.next());
        assertNull(s.next());
    }

    @Test
    void readErrorsReachTheCaller() {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 5000) {
                    throw new IOException("Input/output error");
                }
                return 1;
            }
        };
        ChunkStream s = new ChunkStream(failing, new FastCdc(P));
        IOException e = assertThrows(IOException.class, () -> {
            while (s.next() != null) {
                // drain
            }
        });
        assertEquals("Input/output error", e.getMessage());
    }

    /** Returns at most 1..13 bytes per read, as pipes and network file systems may. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;
        private int turn;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + turn++ % 13), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
