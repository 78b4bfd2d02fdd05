package cairn.ingest.image;

import cairn.store.image.FileType;
import cairn.store.image.GzipMagic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What an image source is: a regular file (raw, or gzip by its magic) or a block device; anything else
 * is refused. The path is kept as given (made absolute, not resolved): {@code /dev/vg/root-snap} names
 * the snapshot better than the {@code /dev/dm-3} it links to.
 */
public record ImageSource(Path path, Kind kind, int stMode) {
    public enum Kind {
        FILE, GZIP, BLOCK_DEVICE
    }

    public static ImageSource of(Path given) throws IOException {
        Path p = given.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString(), null, "source does not exist");
        }
        // Follow links: /dev/disk/by-id/... and LVM names are symlinks to the device.
        int mode = FileType.mode(p);
        return switch (mode & FileType.S_IFMT) {
            case FileType.S_IFBLK -> new ImageSource(p, Kind.BLOCK_DEVICE, mode);
            case FileType.S_IFREG -> new ImageSource(p, GzipMagic.of(p) ? Kind.GZIP : Kind.FILE, mode);
            default -> throw new IOException(p + " is neither a regular file nor a block device");
        };
    }

    /** Whether {@code p} is a block device: given as a backup's PATH, it is backed up as an image. */
    public static boolean isBlockDevice(Path p) {
        try {
            return FileType.isBlockDevice(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    BlockSource open(int blockSize) throws IOException {
        return kind == Kind.GZIP ? new GzipBlocks(path, blockSize) : new PositionalBlocks(path, blockSize);
    }

    /**
     * Like {@link #open}, but a block device larger than {@code imageSize} is read only that far: an
     * image restored or synced onto a larger device occupies its start, and the rest is not the image's.
     */
    BlockSource openImageSized(int blockSize, long imageSize) throws IOException {
        return kind == Kind.BLOCK_DEVICE ? new PositionalBlocks(path, blockSize, imageSize) : open(blockSize);
    }

    /** The source's size in bytes: a device's capacity, a file's length (a gzip file's compressed length). */
    long size() throws IOException {
        return cairn.store.image.DataRegions.size(cairn.store.fsutil.RawPaths.bytes(path));
    }
}
