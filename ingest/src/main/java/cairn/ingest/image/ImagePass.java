package cairn.ingest.image;

import cairn.store.chunk.ChunkId;
import cairn.store.concurrent.BoundedPool;
import cairn.store.concurrent.InOrderWindow;
import cairn.store.image.ZeroBlocks;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pass over an image: workers read each block and identify it (hash, and for a backup dedup and
 * compress); the producing thread takes the results back in image order through a bounded window,
 * feeds the whole image's SHA-256 (holes as zeros, from a shared zero buffer) and hands each block to
 * the sink. Memory is the window: a few blocks, whatever the image's size.
 */
final class ImagePass {
    /** About how much block data may be read and not yet consumed. */
    private static final long WINDOW_BYTES = 32L << 20;

    /** A block after its worker: its place, its id ({@link ChunkId#HOLE} for zeros), its bytes (null for a hole). */
    record Block(long offset, int length, ChunkId id, byte[] data) {
        boolean hole() {
            return data == null;
        }
    }

    /** Runs on a worker for a block that is not all zeros; returns its id. */
    interface Identify {
        ChunkId of(byte[] data) throws IOException;
    }

    private final BoundedPool pool;
    /** How many blocks known to be holes may be in flight beyond the window of blocks with data. */
    private static final int HOLES_AHEAD = 1024;

    private final int window;
    private final int blockSize;
    private final long maxBytes;
    final AtomicLong bytesDone = new AtomicLong();

    /** A pass with {@link #window} blocks of data in flight: a backup, whose heap is checked for that up front. */
    ImagePass(BoundedPool pool, int threads, int blockSize) {
        this(pool, threads, blockSize, (long) window(threads, blockSize) * blockSize);
    }

    /**
     * A pass with at most {@code maxBytes} of block data in flight, or one block when a block is larger:
     * for a pass that only hashes (verify), so any block size fits in the default heap.
     */
    ImagePass(BoundedPool pool, int threads, int blockSize, long maxBytes) {
        this.pool = pool;
        this.window = window(threads, blockSize);
        this.blockSize = blockSize;
        this.maxBytes = maxBytes;
    }

    /** A pass for {@link ImageVerifier}: blocks are only hashed, so WINDOW_BYTES of them are enough. */
    static ImagePass bounded(BoundedPool pool, int threads, int blockSize) {
        return new ImagePass(pool, threads, blockSize, WINDOW_BYTES);
    }

    /** Enough blocks in flight to keep every worker busy while the oldest is consumed, within WINDOW_BYTES when that allows. */
    static int window(int threads, int blockSize) {
        return (int) Math.max(threads + 1, Math.min(threads * 4L, WINDOW_BYTES / blockSize));
    }

    /** The heap a pass needs beyond the rest of cairn: the window's blocks plus each worker's compression output. */
    static long heapNeeded(int threads, int blockSize) {
        return (long) blockSize * (window(threads, blockSize) + 2L * threads);
    }

    /** Reads every block of {@code src}; returns the SHA-256 of the whole image. */
    byte[] run(BlockSource src, Identify identify, InOrderWindow.Sink<Block> sink) throws IOException {
        MessageDigest whole = ChunkId.newDigest();
        // A hole holds no memory and weighs nothing: workers go on with the blocks after a run of holes
        // while this thread is still hashing its zeros into the whole image's digest.
        InOrderWindow<Block> inOrder = new InOrderWindow<>(HOLES_AHEAD + window, maxBytes);
        InOrderWindow.Sink<Block> consume = b -> {
            if (b.hole()) {
                ZeroBlocks.feed(whole, b.length());
            } else {
                whole.update(b.data(), 0, b.length());
            }
            bytesDone.addAndGet(b.length());
            sink.accept(b);
        };
        try {
            for (BlockSource.BlockRead r = src.next(); r != null; r = src.next()) {
                BlockSource.BlockRead read = r;
                inOrder.start(() -> pool.submit(() -> identify(read, identify)), read.knownHole() ? 0 : read.length(),
                        consume);
            }
            inOrder.drain(consume);
        } catch (IOException | RuntimeException e) {
            inOrder.cancel();
            throw e;
        }
        return whole.digest();
    }

    private static Block identify(BlockSource.BlockRead read, Identify identify) throws IOException {
        byte[] data = read.read();
        if (data == null || ZeroBlocks.isZero(data)) {
            return new Block(read.offset(), read.length(), ChunkId.HOLE, null);
        }
        return new Block(read.offset(), read.length(), identify.of(data), data);
    }
}
