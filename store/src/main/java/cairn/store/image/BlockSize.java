package cairn.store.image;

/** Image block sizes: a power of two from 64 KiB to 64 MiB, so offset → block is a shift and blocks align with any file system's. */
public final class BlockSize {
    public static final int DEFAULT = 1 << 20;
    public static final int MIN = 64 << 10;
    public static final int MAX = 64 << 20;

    private BlockSize() {
    }

    /** {@code bytes} as a block size; an IllegalArgumentException naming the rule otherwise. */
    public static int check(long bytes) {
        if (bytes < MIN || bytes > MAX || Long.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("block size " + bytes + " is not a power of two from 64K to 64M"
                    + " (65536 to 67108864 bytes)");
        }
        return (int) bytes;
    }
}
