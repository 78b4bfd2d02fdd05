package cairn.store.image.sync;

import cairn.store.chunk.ChunkId;
import cairn.store.concurrent.BoundedPool;
import cairn.store.concurrent.InOrderWindow;
import cairn.store.image.ZeroBlocks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The block comparison: reads the target block by block with positional reads on several threads,
 * hashes each block and compares it with the source's hash (known ahead for a snapshot, else read and
 * hashed in the same pass), and writes only the blocks that differ. Results are taken in block order, so
 * the differing ranges come out sorted and the SHA-256 of the result is computed in the same pass (see
 * {@link ResultDigest}); it must equal the source's, after an fsync of the target, or the sync fails.
 *
 * <p>Memory stays bounded: at most {@link #IN_FLIGHT_BYTES} of blocks are in flight, or one more block
 * than there are workers when blocks are larger; a block size the heap cannot hold is refused before
 * anything is read (the launcher gives the JVM 256 MiB unless CAIRN_HEAP says otherwise).
 */
public final class BlockSync {
    static final long IN_FLIGHT_BYTES = 64L << 20;
    /** How many blocks known to be holes on both sides may be in flight beyond the window of blocks with data. */
    static final int HOLES_AHEAD = 1024;
    private final int threads;
    private final AtomicLong bytesCompared = new AtomicLong();
    private final AtomicLong blocksWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private volatile long totalBytes;

    public BlockSync(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** For progress displays; updated as blocks finish, in order. */
    public long bytesCompared() {
        return bytesCompared.get();
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long blocksWritten() {
        return blocksWritten.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public SyncReport run(BlockSource source, SyncTarget target, boolean dryRun) throws IOException {
        long t0 = System.nanoTime();
        long size = source.size();
        int bs = source.blockSize();
        long blocks = source.blockCount();
        totalBytes = size;
        // A file source holds its block and the target's until the block's turn in the digest.
        int buffersPerBlock = source.knownSha256() == null ? 2 : 1;
        int window = window(threads, bs, buffersPerBlock);
        checkHeap(bs, window, buffersPerBlock, source.knownSha256() != null ? threads : 0);
        ZeroHashes zeros = new ZeroHashes(bs, blocks == 0 ? bs : source.length(blocks - 1));
        ResultDigest digest = dryRun ? null : new ResultDigest(source.knownSha256());
        DiffRanges differing = new DiffRanges(bs, size);
        try {
            // Blocks that are holes on both sides hold no memory and weigh nothing: workers go on comparing
            // the blocks after a run of holes while the digest is still hashing its zeros.
            InOrderWindow<Outcome> inFlight = new InOrderWindow<>(HOLES_AHEAD + window,
                    (long) window * bs * buffersPerBlock);
            try (BoundedPool pool = new BoundedPool("cairn-sync", threads, inFlight.maxTasks());
                 DropBehind targetDone = target.dropBehind();
                 DropBehind sourceDone = source.dropBehind()) {
                InOrderWindow.Sink<Outcome> take = o -> {
                    take(o, digest, differing);
                    long end = o.block() * bs + o.length();
                    if (targetDone != null) {
                        targetDone.passed(end, end == size);
                    }
                    if (sourceDone != null) {
                        sourceDone.passed(end, end == size);
                    }
                };
                for (long b = 0; b < blocks; b++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("interrupted");
                    }
                    long block = b;
                    // Asked here, in block order, since the hole maps are for one thread
                    boolean targetZero = target.knownZero(b * bs, b * bs + source.length(b));
                    boolean sourceZero = source.knownZero(b);
                    long holds = targetZero && sourceZero ? 0 : (long) source.length(b) * buffersPerBlock;
                    inFlight.add(pool.submit(() -> compare(source, target, zeros, block, sourceZero, targetZero, dryRun)),
                            holds, take);
                }
                inFlight.drain(take);
            } finally {
                inFlight.cancel();
            }
            source.checkUnchanged();
        } catch (IOException | RuntimeException e) {
            // The workers have stopped (the pool is closed): nothing writes to the target any more.
            if (!dryRun) {
                restoreSizeQuietly(target, e);
            }
            throw partlyWritten(interrupted(e), target);
        }
        byte[] result = null;
        byte[] expected = null;
        if (!dryRun) {
            try {
                target.finish();
            } catch (IOException e) {
                throw partlyWritten(e, target);
            }
            result = digest.result();
            expected = digest.expected();
            if (!MessageDigest.isEqual(result, expected)) {
                HexFormat hex = HexFormat.of();
                throw partlyWritten(new IOException("after the sync the SHA-256 of " + target.path() + " is "
                        + hex.formatHex(result) + ", but " + source.describe() + " has " + hex.formatHex(expected)
                        + ": the target is not a copy"), target);
            }
            target.commit();
        }
        return new SyncReport(size, bs, blocks, blocksWritten.get(), bytesWritten.get(), differing.ranges(), dryRun,
                result, expected, System.nanoTime() - t0);
    }

    /**
     * A worker that could not be queued because the thread was interrupted (a sync stopped by a signal)
     * is that interrupt, as an IOException; any other runtime failure stays what it is.
     */
    private static IOException interrupted(Exception e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RejectedExecutionException && Thread.currentThread().isInterrupted()) {
            InterruptedIOException i = new InterruptedIOException("interrupted");
            i.initCause(e);
            return i;
        }
        throw (RuntimeException) e;
    }

    private static void restoreSizeQuietly(SyncTarget target, Exception failure) {
        try {
            target.restoreSize();
        } catch (IOException e) {
            failure.addSuppressed(e); // the failure itself is what the user must see
        }
    }

    /**
     * A failure after blocks were written into a target that was there before leaves it part old, part
     * new: the message says so, and that running the sync again finishes it (a new target is removed).
     */
    private IOException partlyWritten(IOException e, SyncTarget target) {
        long written = blocksWritten.get();
        if (written == 0 || target.isNew()) {
            return e;
        }
        return new PartlyWritten(e, written + (written == 1 ? " block was" : " blocks were") + " already written to "
                + target.path() + ": run the sync again to finish it");
    }

    /**
     * A sync that failed, or was stopped, after it wrote blocks into a target that was there before;
     * {@link #leftBehind} says so, as the message's end does.
     */
    public static final class PartlyWritten extends IOException {
        private final String leftBehind;

        PartlyWritten(IOException cause, String leftBehind) {
            super(cause.getMessage() + "; " + leftBehind, cause);
            this.leftBehind = leftBehind;
        }

        /** What the target was left as, and what to do: "N blocks were already written to T: run the sync again ...". */
        public String leftBehind() {
            return leftBehind;
        }
    }

    /**
     * Enough blocks in flight to keep every worker busy while the oldest is consumed, within
     * IN_FLIGHT_BYTES when that allows.
     */
    static int window(int threads, int blockSize, int buffersPerBlock) {
        return (int) Math.max(threads + 1, Math.min(threads * 4L, IN_FLIGHT_BYTES / ((long) blockSize * buffersPerBlock)));
    }

    /**
     * Refuses up front a block size this heap cannot hold, instead of running out of memory half way:
     * the window's blocks, one more being started, and for a snapshot each worker's chunk being decoded
     * (stored and raw bytes), plus room for the rest of cairn.
     */
    static void checkHeap(int blockSize, int window, int buffersPerBlock, int decoders) throws IOException {
        long blocks = (window + 1L) * buffersPerBlock + 2L * decoders;
        long needed = blockSize * blocks + (64L << 20);
        long max = Runtime.getRuntime().maxMemory();
        if (needed > max) {
            throw new IOException("block size " + blockSize + " needs about " + (needed >> 20) + " MiB of heap, more than"
                    + " this JVM has (" + (max >> 20) + " MiB): use a smaller --block-size or set CAIRN_HEAP");
        }
    }

    /**
     * One block's outcome: the bytes the target now holds there (null: zeros, read or not) and the
     * source's (null when the digest does not need them); both null in a dry run.
     */
    private record Outcome(long block, int length, boolean differs, byte[] result, byte[] source) {
    }

    /**
     * {@code sourceZero}, {@code targetZero}: the block is known to be zeros there (a hole, or past the
     * target's old end), so it is not read.
     */
    private Outcome compare(BlockSource source, SyncTarget target, ZeroHashes zeros, long block, boolean sourceZero,
                            boolean targetZero, boolean dryRun) throws IOException {
        int len = source.length(block);
        long position = block * source.blockSize();
        byte[] want = sourceZero ? zeros.hash(len) : source.knownHash(block);
        byte[] src = null;
        boolean srcIsZero = sourceZero;
        if (want == null) {
            src = source.read(block);
            if (ZeroBlocks.isZero(src)) {
                src = null;
                srcIsZero = true;
                want = zeros.hash(len);
            } else {
                want = ChunkId.newDigest().digest(src);
            }
        }
        byte[] have = null;
        byte[] haveHash = zeros.hash(len);
        if (!targetZero) {
            have = new byte[len];
            target.read(position, have);
            if (ZeroBlocks.isZero(have)) {
                have = null;
            } else {
                haveHash = ChunkId.newDigest().digest(have);
            }
        }
        if (MessageDigest.isEqual(haveHash, want)) {
            return dryRun ? new Outcome(block, len, false, null, null) : new Outcome(block, len, false, have, src);
        }
        if (dryRun) {
            return new Outcome(block, len, true, null, null);
        }
        if (srcIsZero) {
            target.writeZeros(position, len);
        } else {
            if (src == null) {
                src = source.read(block);
            }
            target.write(position, src);
        }
        blocksWritten.incrementAndGet();
        bytesWritten.addAndGet(len);
        return new Outcome(block, len, true, src, src);
    }

    private void take(Outcome o, ResultDigest digest, DiffRanges differing) {
        if (o.differs()) {
            differing.add(o.block());
        }
        if (digest != null) {
            digest.add(o.result(), o.source(), o.length());
        }
        bytesCompared.addAndGet(o.length());
    }
}
