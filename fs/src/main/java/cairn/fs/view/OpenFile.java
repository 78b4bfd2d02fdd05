package cairn.fs.view;

import cairn.store.catalog.ChunkList;

/**
 * One open file: its chunk list, the name used in log lines, and where its reader is, to tell a
 * sequential reader (worth reading ahead for) from a random one. The position state is guarded by
 * this object's lock; FUSE worker threads may read the same handle concurrently.
 */
final class OpenFile {
    /** Reads that land this close to where the last one ended still count as sequential (kernel readahead reorders). */
    private static final long SEQUENTIAL_SLACK = 1 << 20;

    final ChunkList chunks;
    final String displayPath;
    /** An image's fixed block size (offset → block is a division), or 0 for content-defined chunks. */
    final int blockSize;
    /** How many chunks to read ahead of a sequential reader. */
    final int window;
    private long lastEnd;
    private int prefetchedThrough = -1;

    OpenFile(ChunkList chunks, String displayPath, int blockSize, int window) {
        this.chunks = chunks;
        this.displayPath = displayPath;
        this.blockSize = blockSize;
        this.window = window;
    }

    /** The index of the chunk holding byte {@code offset}: arithmetic for an image, a binary search otherwise. */
    int index(long offset) {
        return blockSize > 0 ? (int) (offset / blockSize) : chunks.indexOf(offset);
    }

    /**
     * Records a read of [offset, end) that touched chunks up to {@code lastChunk}; returns the first chunk
     * index still to read ahead (through {@code lastChunk + window}), or -1 when the reader is not sequential
     * or everything in the window is already scheduled.
     */
    synchronized int afterRead(long offset, long end, int lastChunk) {
        boolean sequential = Math.abs(offset - lastEnd) <= SEQUENTIAL_SLACK;
        lastEnd = end;
        if (!sequential) {
            return -1;
        }
        int from = Math.max(lastChunk + 1, prefetchedThrough + 1);
        int through = Math.min(chunks.count() - 1, lastChunk + window);
        if (from > through) {
            return -1;
        }
        prefetchedThrough = through;
        return from;
    }
}
