package cairn.ingest.image;

import cairn.store.fsutil.RawPaths;
import cairn.store.image.DataRegions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw image file or block device read with positional reads: every worker reads its own block at its
 * own offset on one shared channel (pread is thread-safe), so reads, hashing and compression overlap on
 * every core. A sparse file's holes are found with SEEK_DATA and never read. The size is taken once at
 * the start; a source that is then found shorter or longer was changing under the backup, which must
 * not end as a complete snapshot.
 */
final class PositionalBlocks implements BlockSource {
    private static final int READ_PIECE = 1 << 20;
    private final Path path;
    private final FileChannel channel;
    private final DataRegions regions;
    private final long size;
    private final int blockSize;
    private long next;

    PositionalBlocks(Path path, int blockSize) throws IOException {
        this(path, blockSize, Long.MAX_VALUE);
    }

    /** Only the first {@code limit} bytes: an image's worth of a device larger than the image. */
    PositionalBlocks(Path path, int blockSize, long limit) throws IOException {
        this.path = path;
        this.blockSize = blockSize;
        byte[] raw = RawPaths.bytes(path);
        try {
            this.size = Math.min(limit, DataRegions.size(raw));
        } catch (IOException e) {
            // /proc and /sys files, for one, cannot say how long they are
            throw new IOException("cannot tell the size of " + path + " (" + e.getMessage() + "): not an image file", e);
        }
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        DataRegions r;
        try {
            r = DataRegions.open(raw);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.regions = r;
    }

    long expectedSize() {
        return size;
    }

    @Override
    public BlockRead next() {
        if (next >= size) {
            return null;
        }
        long offset = next;
        int length = (int) Math.min(blockSize, size - offset);
        next += length;
        boolean hole = regions.isHole(offset, offset + length);
        return new BlockRead() {
            @Override
            public long offset() {
                return offset;
            }

            @Override
            public int length() {
                return length;
            }

            @Override
            public byte[] read() throws IOException {
                return hole ? null : readAt(offset, length);
            }

            @Override
            public boolean knownHole() {
                return hole;
            }
        };
    }

    private byte[] readAt(long offset, int length) throws IOException {
        byte[] data = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.position() < length) {
            // In pieces: the JDK reads into a per-thread direct buffer as large as the read, and keeps it.
            b.limit(Math.min(length, b.position() + READ_PIECE));
            int n;
            try {
                n = channel.read(b, offset + b.position());
            } catch (IOException e) {
                // EIO from a failing disk: the backup stops here; a snapshot with a gap would look complete.
                throw new IOException("cannot read " + path + " at offset " + (offset + b.position()) + ": "
                        + e.getMessage(), e);
            }
            if (n < 0) {
                throw new IOException(path + " changed size during the backup: it ended at "
                        + (offset + b.position()) + " bytes, " + size + " expected; no snapshot saved");
            }
        }
        return data;
    }

    @Override
    public void finish() throws IOException {
        long now = DataRegions.size(RawPaths.bytes(path));
        if (now != size) {
            throw new IOException(path + " changed size during the backup (" + size + " bytes at the start, " + now
                    + " at the end): no snapshot saved");
        }
    }

    @Override
    public long size() {
        return next;
    }

    @Override
    public void close() throws IOException {
        regions.close();
        channel.close();
    }
}
