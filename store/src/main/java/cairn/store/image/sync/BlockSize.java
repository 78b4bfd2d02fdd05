package cairn.store.image.sync;

/** The block sizes an image can be compared in: a power of two from 64 KiB to 64 MiB. */
public final class BlockSize {
    public static final int MIN = 64 << 10;
    public static final int MAX = 64 << 20;
    public static final int DEFAULT = 1 << 20;

    private BlockSize() {
    }

    /** Returns {@code n} as an int when it is a valid block size; otherwise fails saying what is allowed. */
    public static int check(long n) {
        if (n < MIN || n > MAX || Long.bitCount(n) != 1) {
            throw new IllegalArgumentException("block size " + n + " is not a power of two from 64 KiB (65536) to 64 MiB"
                    + " (67108864)");
        }
        return (int) n;
    }
}
