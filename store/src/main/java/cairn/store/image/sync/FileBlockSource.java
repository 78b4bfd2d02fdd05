package cairn.store.image.sync;

import cairn.store.fsutil.RawPaths;
import cairn.store.image.BlockSize;
import cairn.store.image.DataRegions;
import cairn.store.image.GzipMagic;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * An image file or block device as a sync source. Nothing about it is known ahead: each block is read and
 * hashed in the pass, and the SHA-256 of the whole is computed from the same bytes.
 */
public final class FileBlockSource implements BlockSource {
    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int blockSize;
    /** Where a regular file's holes are, so they are not read; null for a device. */
    private final DataRegions holes;
    /** A regular file's modification time when opened; null for a device. */
    private final FileTime modified;

    private FileBlockSource(Path path, FileChannel channel, long size, int blockSize, DataRegions holes,
                            FileTime modified) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.blockSize = blockSize;
        this.holes = holes;
        this.modified = modified;
    }

    public static FileBlockSource open(Path path, int blockSize) throws IOException {
        BlockSize.check(blockSize);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "source does not exist");
        }
        if (!ImageFiles.isRegularFile(path) && !ImageFiles.isBlockDevice(path)) {
            throw new IOException("source " + path + " is " + ImageFiles.kindOf(path)
                    + ", not an image file or block device");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            boolean file = ImageFiles.isRegularFile(path);
            if (file && GzipMagic.of(ch)) {
                throw new IOException("source " + path + " is gzip-compressed: sync compares raw images; decompress it"
                        + " first, or back it up with cairn backup --image and sync from that snapshot");
            }
            DataRegions holes = file ? DataRegions.open(RawPaths.bytes(path)) : null;
            FileTime modified = file ? Files.getLastModifiedTime(path) : null;
            return new FileBlockSource(path, ch, ch.size(), blockSize, holes, modified);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public DropBehind dropBehind() {
        return new DropBehind(path);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public byte[] knownHash(long block) {
        return null;
    }

    @Override
    public boolean knownZero(long block) {
        long start = block * blockSize;
        return holes != null && holes.isHole(start, start + length(block));
    }

    @Override
    public byte[] read(long block) throws IOException {
        byte[] b = new byte[length(block)];
        ImageFiles.readFully(channel, block * blockSize, b, b.length, "source " + path);
        return b;
    }

    @Override
    public byte[] knownSha256() {
        return null;
    }

    @Override
    public void checkUnchanged() throws IOException {
        long now = channel.size();
        if (now != size) {
            throw new IOException("source " + path + " changed size while it was read (from " + size + " to " + now
                    + " bytes): the target matches no version of it");
        }
        if (modified != null && !Files.getLastModifiedTime(path).equals(modified)) {
            throw new IOException("source " + path + " was modified while it was read: the target matches no version"
                    + " of it");
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        if (holes != null) {
            holes.close();
        }
        channel.close();
    }
}
