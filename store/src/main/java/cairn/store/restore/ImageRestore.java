package cairn.store.restore;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Snapshot;
import cairn.store.chunk.ChunkId;
import cairn.store.concurrent.BoundedPool;
import cairn.store.concurrent.InOrderWindow;
import cairn.store.fsutil.RawPaths;
import cairn.store.image.DataRegions;
import cairn.store.image.ZeroBlocks;
import cairn.store.repo.Repository;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an image snapshot back out: to a regular file (sparse where the image has holes), onto a block
 * device (every block, zeros included, unless the device is known to be zeroed), or as a gzip stream.
 * Workers read, decompress and (file, device) write their blocks at their offsets in parallel; the
 * blocks are then taken back in image order to feed the SHA-256 of what was written (and, for gzip, the
 * serial compressor), so the check against the snapshot's SHA-256 needs no second read. A mismatch fails
 * loudly. Files are written under a temporary name and renamed only once whole and checked ({@link FileReplacement});
 * a restore stopped by a signal (its thread interrupted) removes that file and never renames it.
 */
public final class ImageRestore implements AutoCloseable {
    /**
     * Block data read and not yet hashed, at most; a larger block goes alone. A worker decoding a block
     * also holds its stored bytes, so a 64 MiB block needs about 128 MiB, within the launcher's default heap.
     */
    private static final long WINDOW_BYTES = 32L << 20;
    /**
     * Writes go through the JDK's per-thread temporary direct buffer, which grows to the size of the
     * largest write: writing in pieces keeps it small whatever the block size.
     */
    private static final int WRITE_PIECE = 1 << 20;

    private final Repository repo;
    private final int threads;
    private final BoundedPool pool;
    private final AtomicLong bytesDone = new AtomicLong();

    public ImageRestore(Repository repo, int threads) {
        this.repo = repo;
        this.threads = threads;
        this.pool = new BoundedPool("cairn-image-restore", threads, threads * 4);
    }

    /** What was written: the image's size, the bytes actually written (holes skipped), and where. */
    public record Result(Path target, long size, long written) {
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    /** How a block reaches the target; runs on a worker. */
    private interface BlockWriter {
        /** Writes block {@code data} (null: a hole of {@code len} bytes) at {@code offset}; returns bytes written. */
        long write(long offset, byte[] data, int len) throws IOException;
    }

    private record Piece(byte[] data, int len, long written) {
    }

    /** Restores into a new regular file at {@code target}, sparse where the image has holes. */
    public Result toFile(Snapshot s, Path target) throws IOException {
        ChunkList list = chunks(s);
        try (FileReplacement file = FileReplacement.of(target)) {
            FileChannel ch = file.channel();
            // SparseWriter also leaves 4 KiB runs of zeros inside data blocks unwritten.
            long written = pass(s, list, (off, data, len) -> {
                if (data != null) {
                    try {
                        new SparseWriter(ch).write(off, data, 0, len);
                    } catch (IOException e) {
                        throw writing(target, off, e);
                    }
                }
                return data == null ? 0 : len;
            }, null);
            if (ch.size() < list.size()) {
                ch.write(ByteBuffer.wrap(new byte[1]), list.size() - 1); // a trailing hole: the size must be exact
            }
            ch.force(true);
            file.commit();
            return new Result(target, list.size(), written);
        }
    }

    /**
     * Writes onto an existing block device (or any existing file, in place), every block; with
     * {@code skipZero} the holes are not written, for a device known to hold zeros already.
     */
    public Result toDevice(Snapshot s, Path device, boolean skipZero) throws IOException {
        ChunkList list = chunks(s);
        long room = DataRegions.size(RawPaths.bytes(device));
        if (room < list.size()) {
            throw new IOException(device + " holds " + room + " bytes, less than the image's " + list.size());
        }
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.WRITE)) {
            long written = pass(s, list, (off, data, len) -> {
                if (data != null) {
                    try {
                        writeFully(ch, ByteBuffer.wrap(data, 0, len), off);
                    } catch (IOException e) {
                        throw writing(device, off, e);
                    }
                    return len;
                }
                if (skipZero) {
                    return 0;
                }
                long[] at = {off};
                ZeroBlocks.forEachPiece(len, (zeros, n) -> {
                    writeFully(ch, ByteBuffer.wrap(zeros, 0, n), at[0]);
                    at[0] += n;
                });
                return len;
            }, null);
            ch.force(true);
            return new Result(device, list.size(), written);
        }
    }

    /**
     * Writes the image as a gzip file at {@code target} (fast level: the point is a portable copy). Like a
     * file restore, under a temporary name that takes {@code target}'s only once whole and checked: a gzip
     * cut short (a full disk) is never left looking like a complete one.
     */
    public Result toGzip(Snapshot s, Path target) throws IOException {
        ChunkList list = chunks(s);
        try (FileReplacement file = FileReplacement.of(target)) {
            FileOutput out = new FileOutput(file.channel(), target);
            GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(out, 1 << 20), 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            pass(s, list, (off, data, len) -> 0, gz);
            gz.finish(); // the trailer
            gz.flush();
            out.force();
            gz.close(); // ends the deflater; the channel is closed with the replacement
            file.commit();
            return new Result(target, list.size(), out.written());
        }
    }

    /**
     * Reads every block on the workers (each writing its own through {@code writer}), takes them back in
     * order to hash (and to feed {@code serial} when given), and checks the SHA-256. Returns bytes written.
     */
    private long pass(Snapshot s, ChunkList list, BlockWriter writer, OutputStream serial) throws IOException {
        MessageDigest sha = ChunkId.newDigest();
        long[] written = {0};
        InOrderWindow<Piece> inOrder = new InOrderWindow<>(threads * 4, WINDOW_BYTES);
        InOrderWindow.Sink<Piece> consume = p -> {
            if (p.data() == null) {
                ZeroBlocks.feed(sha, p.len());
                if (serial != null) {
                    ZeroBlocks.forEachPiece(p.len(), (zeros, n) -> serial.write(zeros, 0, n));
                }
            } else {
                sha.update(p.data(), 0, p.len());
                if (serial != null) {
                    serial.write(p.data(), 0, p.len());
                }
            }
            written[0] += p.written();
            bytesDone.addAndGet(p.len());
        };
        try {
            for (int i = 0; i < list.count(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted"); // stopped: the file is not renamed, but removed
                }
                int n = i;
                // A hole holds no memory: workers run on through holes while the oldest block is hashed.
                inOrder.start(() -> pool.submit(() -> {
                    byte[] data = list.isHole(n) ? null : repo.chunks().readOnce(list.id(n));
                    long w = writer.write(list.start(n), data, list.length(n));
                    return new Piece(data, list.length(n), w);
                }), list.isHole(n) ? 0 : list.length(n), consume);
            }
            inOrder.drain(consume);
        } finally {
            inOrder.cancel();
        }
        byte[] got = sha.digest();
        if (s.imageSha256() != null && !java.util.Arrays.equals(got, s.imageSha256())) {
            throw new IOException("the restored image's SHA-256 " + HexFormat.of().formatHex(got)
                    + " differs from snapshot " + s.name() + "'s " + HexFormat.of().formatHex(s.imageSha256())
                    + ": the restore is not a faithful copy");
        }
        return written[0];
    }

    private ChunkList chunks(Snapshot s) throws IOException {
        if (s.kind() != Snapshot.Kind.IMAGE) {
            throw new IOException("snapshot " + s.name() + " is not an image snapshot");
        }
        return repo.catalog().contents().get(s.content()).chunks();
    }

    /** A write that failed (a full disk says only "No space left on device"), with where it was going. */
    private static IOException writing(Path target, long offset, IOException e) {
        return new IOException("cannot write " + target + " at byte " + offset + ": " + e.getMessage(), e);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        int end = b.limit();
        while (b.position() < end) {
            b.limit(Math.min(end, b.position() + WRITE_PIECE));
            pos += ch.write(b, pos);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
