package cairn.ingest.image;

import java.io.IOException;

/**
 * An image cut into blocks, produced in image order by one thread; each block's bytes are read by a
 * worker ({@link BlockRead#read}), so positional sources read in parallel while a stream (gzip) hands
 * over bytes it already decompressed.
 */
interface BlockSource extends AutoCloseable {
    /** The next block, or null after the last one. */
    BlockRead next() throws IOException;

    /** Called after the last block: fails when the source changed size while it was read. */
    void finish() throws IOException;

    /** Bytes handed out so far. */
    long size();

    @Override
    void close() throws IOException;

    /** One block: where it is and how to get its bytes. */
    interface BlockRead {
        long offset();

        int length();

        /** The block's bytes (exactly {@link #length} of them), or null when it is known to be a hole. */
        byte[] read() throws IOException;

        /** True when {@link #read} will return null without reading: the block is a hole of a sparse source. */
        default boolean knownHole() {
            return false;
        }
    }
}
