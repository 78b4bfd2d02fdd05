package cairn.store.chunk;

/**
 * Content-defined chunk sizes. {@code avg} must be a power of two; min < avg < max.
 * The defaults were chosen by measurement on the bench data (see README, "Chunk sizes").
 */
public record ChunkerParams(int min, int avg, int max) {
    public static final ChunkerParams DEFAULT = new ChunkerParams(256 << 10, 1 << 20, 4 << 20);

    public ChunkerParams {
        if (Integer.bitCount(avg) != 1 || avg < 256) {
            throw new IllegalArgumentException("average chunk size must be a power of two >= 256: " + avg);
        }
        if (!(0 < min && min < avg && avg < max)) {
            throw new IllegalArgumentException("need 0 < min < avg < max, got " + min + "/" + avg + "/" + max);
        }
    }
}
