package cairn.store.chunk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a chunk: SHA-256 of its uncompressed bytes. Immutable; equality is by value.
 */
public final class ChunkId implements Comparable<ChunkId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChunkId::newDigest);

    /**
     * The all-zero id, which no SHA-256 output is expected to be: in a chunk list it marks a hole (an
     * all-zero block of an image, stored as nothing and read back as zeros). It never names a stored chunk.
     */
    public static final ChunkId HOLE = new ChunkId(new byte[LENGTH]);

    private final byte[] bytes;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ChunkId of(byte[] data, int off, int len) {
        MessageDigest md = SHA256.get();
        md.update(data, off, len);
        return new ChunkId(md.digest());
    }

    public static ChunkId of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** Wraps 32 bytes read from disk or the catalog; the array is copied. */
    public static ChunkId fromBytes(byte[] b, int off) {
        if (b.length - off < LENGTH) {
            throw new IllegalArgumentException("chunk id needs 32 bytes, got " + (b.length - off));
        }
        return new ChunkId(Arrays.copyOfRange(b, off, off + LENGTH));
    }

    public static ChunkId fromBytes(byte[] b) {
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("chunk id needs 32 bytes, got " + b.length);
        }
        return fromBytes(b, 0);
    }

    public static ChunkId fromHex(String hex) {
        return fromBytes(HEX.parseHex(hex));
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, LENGTH);
    }

    /** The first 8 bytes as a long: a well-mixed key for in-memory hash tables. */
    public long prefix64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (int) prefix64();
    }

    @Override
    public int compareTo(ChunkId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
