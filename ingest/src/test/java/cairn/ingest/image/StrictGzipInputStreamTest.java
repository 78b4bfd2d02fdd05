package cairn.ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Every byte of a gzip file belongs to a whole member, or reading it fails saying where. */
class StrictGzipInputStreamTest {
    private static final byte[] A = data(1, 300_000);
    private static final byte[] B = data(2, 200_000);

    private static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(8)); // compressible, so members are short
        }
        return b;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] read(byte[] file) throws IOException {
        try (StrictGzipInputStream in = new StrictGzipInputStream(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyMemberIsReadAndZeroPaddingAfterTheLastIsIgnored() throws IOException {
        assertArrayEquals(A, read(gzip(A)));
        assertArrayEquals(concat(A, B), read(concat(gzip(A), gzip(B))));
        assertArrayEquals(concat(A, B), read(concat(gzip(A), gzip(B), new byte[5000])));
        assertArrayEquals(new byte[0], read(gzip(new byte[0])));
    }

    @Test
    void aSecondMemberCutShortOrDamagedFailsInsteadOfEndingTheImage() throws IOException {
        byte[] a = gzip(A);
        byte[] two = concat(a, gzip(B));
        IOException cut = assertThrows(IOException.class, () -> read(Arrays.copyOf(two, a.length + 10)));
        assertTrue(cut.getMessage().contains("member 2 ends early"), cut.getMessage());
        byte[] bad = two.clone();
        bad[a.length] = 0; // the second member's magic
        IOException garbage = assertThrows(IOException.class, () -> read(bad));
        assertTrue(garbage.getMessage().contains("after member 1"), garbage.getMessage());
        IOException tail = assertThrows(IOException.class, () -> read(concat(a, "garbage\n".getBytes())));
        assertTrue(tail.getMessage().contains("not a gzip member"), tail.getMessage());
    }

    @Test
    void aDamagedBodyOrTrailerFails() throws IOException {
        byte[] a = gzip(A);
        byte[] crc = a.clone();
        crc[a.length - 8] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> read(crc)).getMessage().contains("CRC-32"));
        byte[] body = a.clone();
        body[a.length / 2] ^= 0x55;
        assertThrows(IOException.class, () -> read(body));
        assertThrows(IOException.class, () -> read(Arrays.copyOf(a, a.length - 3)));
        assertThrows(IOException.class, () -> read(Arrays.copyOf(a, 2)));
    }
}
