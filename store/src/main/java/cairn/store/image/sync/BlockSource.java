package cairn.store.image.sync;

import java.io.IOException;

/**
 * What a sync copies from, as fixed-size blocks: an image snapshot or an image file or device. Every block
 * is {@link #blockSize()} long except possibly the last. Implementations are thread-safe: the engine
 * asks for different blocks from several threads at once.
 */
public interface BlockSource extends AutoCloseable {
    long size();

    int blockSize();

    default long blockCount() {
        return (size() + blockSize() - 1) / blockSize();
    }

    default int length(long block) {
        return (int) Math.min(blockSize(), size() - block * blockSize());
    }

    /**
     * The SHA-256 of block {@code block} when it is known without reading the block (a snapshot's chunk id),
     * else null: then the engine reads the block and hashes it in the same pass.
     */
    byte[] knownHash(long block) throws IOException;

    /**
     * Whether the block is known to be all zeros without reading it (a hole of a sparse source file).
     * Called by one thread, in increasing block order.
     */
    default boolean knownZero(long block) throws IOException {
        return false;
    }

    /** Page-cache drop-behind for a source read from a file or device, null for one that is not. */
    default DropBehind dropBehind() {
        return null;
    }

    /** The block's bytes (a new array of {@link #length} bytes). */
    byte[] read(long block) throws IOException;

    /**
     * The SHA-256 of the whole source when it was recorded beforehand (a snapshot's), else null: then the
     * engine computes it from the bytes it reads.
     */
    byte[] knownSha256();

    /** How to name the source in messages. */
    /**
     * Called after the pass: fails when the source changed while it was read (its size or its
     * modification time), since the target would then match no version of it.
     */
    default void checkUnchanged() throws IOException {
    }

    String describe();

    @Override
    void close() throws IOException;
}
