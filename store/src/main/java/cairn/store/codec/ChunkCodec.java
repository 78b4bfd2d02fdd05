package cairn.store.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;

/**
 * Compresses and decompresses single chunks. Keeps one zstd context per thread so the hot path does
 * not allocate native state per chunk. Thread-safe.
 */
public final class ChunkCodec {
    public static final int DEFAULT_LEVEL = 3;

    private final int level;
    private final ThreadLocal<ZstdCompressCtx> compressors;
    /** Per-thread output buffer: allocating (and zeroing) a fresh one per chunk costs a pass over the data. */
    private static final ThreadLocal<byte[]> OUTPUT = ThreadLocal.withInitial(() -> new byte[0]);
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSORS = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    public ChunkCodec(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("compression level must be 1..19, got " + level);
        }
        this.level = level;
        this.compressors = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx ctx = new ZstdCompressCtx();
            ctx.setLevel(level);
            ctx.setChecksum(false);
            return ctx;
        });
    }

    public int level() {
        return level;
    }

    /** The stored form of {@code data[off, off+len)}: zstd if that is smaller, else the raw bytes. */
    public Encoded encode(byte[] data, int off, int len) {
        int bound = (int) Zstd.compressBound(len);
        byte[] dst = OUTPUT.get();
        if (dst.length < bound) {
            dst = new byte[bound];
            OUTPUT.set(dst);
        }
        int n = compressors.get().compressByteArray(dst, 0, bound, data, off, len);
        if (n < len) {
            return new Encoded(Codec.ZSTD, java.util.Arrays.copyOf(dst, n));
        }
        return new Encoded(Codec.RAW, java.util.Arrays.copyOfRange(data, off, off + len));
    }

    /** Restores the raw bytes; fails if the result does not have exactly {@code rawLength} bytes. */
    public static byte[] decode(Codec codec, byte[] stored, int rawLength) throws IOException {
        if (codec == Codec.RAW && stored.length == rawLength) {
            return stored;
        }
        byte[] out = new byte[rawLength];
        decodeInto(codec, stored, stored.length, out, rawLength);
        return out;
    }

    /**
     * {@link #decode} into {@code dst[0, rawLength)} from {@code stored[0, storedLength)}, for a reader that
     * decodes into buffers it reuses; fails unless exactly {@code rawLength} bytes come out.
     */
    public static void decodeInto(Codec codec, byte[] stored, int storedLength, byte[] dst, int rawLength)
            throws IOException {
        switch (codec) {
            case RAW:
                if (storedLength != rawLength) {
                    throw new IOException("raw chunk has " + storedLength + " bytes, expected " + rawLength);
                }
                System.arraycopy(stored, 0, dst, 0, rawLength);
                return;
            case ZSTD:
                int n;
                try {
                    n = DECOMPRESSORS.get().decompressByteArray(dst, 0, rawLength, stored, 0, storedLength);
                } catch (RuntimeException e) {
                    throw new IOException("zstd frame does not decode: " + e.getMessage(), e);
                }
                if (n != rawLength) {
                    throw new IOException("zstd chunk decoded to " + n + " bytes, expected " + rawLength);
                }
                return;
            default:
                throw new IOException("unsupported codec " + codec);
        }
    }

    public record Encoded(Codec codec, byte[] bytes) {
    }
}
