package cairn.store.chunk;

import java.util.SplittableRandom;

/**
 * Content-defined chunking with FastCDC (Xia et al., 2016): a gear rolling hash, cut points skipped
 * below the minimum size, and normalized chunking (a stricter mask before the average size, a looser
 * one after) so sizes cluster around the average. An insertion early in a file moves only the
 * boundaries near it; later boundaries realign because they depend on the last 64 bytes alone.
 *
 * <p>The gear table comes from a fixed seed: changing it, or the masks, changes every boundary and
 * so defeats deduplication against existing repositories. Treat it as part of the format.
 */
public final class FastCdc {
    private static final long[] GEAR = gearTable();

    private final int min;
    private final int avg;
    private final int max;
    private final long maskSmall;
    private final long maskLarge;

    public FastCdc(ChunkerParams p) {
        this.min = p.min();
        this.avg = p.avg();
        this.max = p.max();
        int bits = Integer.numberOfTrailingZeros(avg);
        // Top bits of the hash: each of them has seen the whole 64-byte window.
        this.maskSmall = -1L << (64 - (bits + 2));
        this.maskLarge = -1L << (64 - (bits - 2));
    }

    public int max() {
        return max;
    }

    /**
     * The length of the next chunk starting at {@code buf[off]}, with {@code len} bytes available.
     * When {@code len < max} and the data ends there ({@code eof}), a short final chunk is returned.
     * Callers must supply at least {@code max} bytes unless at end of input.
     */
    public int cut(byte[] buf, int off, int len) {
        if (len <= min) {
            return len;
        }
        int end = Math.min(len, max);
        int normal = Math.min(end, avg);
        long h = 0;
        int i = min;
        for (; i < normal; i++) {
            h = (h << 1) + GEAR[buf[off + i] & 0xff];
            if ((h & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            h = (h << 1) + GEAR[buf[off + i] & 0xff];
            if ((h & maskLarge) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    private static long[] gearTable() {
        SplittableRandom r = new SplittableRandom(0x63616972_6e436443L); // "cairnCdC"
        long[] t = new long[256];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextLong();
        }
        return t;
    }
}
