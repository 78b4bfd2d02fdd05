package cairn.store.image.sync;

import cairn.store.fsutil.MountedDevices;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.image.DataRegions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The image file or block device a sync writes into, checked before anything is written: a block device
 * must not be in use (mounted, swap) and must hold the whole source; a regular file must not back a
 * mounted loop device, and is extended or truncated to the source's size; a missing file is created.
 * Bytes past the target's old end read as zeros, which is what extending it gives, so a dry run and
 * a real run compare the same bytes.
 */
public final class SyncTarget implements AutoCloseable {
    private final Path path;
    private final boolean device;
    private final FileChannel channel;
    private final long oldSize;
    private final long newSize;
    /** Where a regular file's holes are; null for a device or a target that does not exist yet. */
    private final DataRegions holes;
    private static final int NOT_OPENED = -1;
    /** A write descriptor for punching holes, opened on first need (the JDK's channel hides its own). */
    private int punchFd = NOT_OPENED;

    private SyncTarget(Path path, boolean device, FileChannel channel, long oldSize, long newSize) throws IOException {
        this.path = path;
        this.device = device;
        this.channel = channel;
        this.oldSize = oldSize;
        this.newSize = newSize;
        this.holes = channel != null && !device ? DataRegions.open(RawPaths.bytes(path)) : null;
    }

    /**
     * Opens {@code path} to receive {@code sourceSize} bytes. {@code sourcePath} is the source's file or
     * device (null for a snapshot), which the target must not be. A dry run opens read-only and changes
     * nothing, and a missing target is then taken as an empty file.
     */
    public static SyncTarget open(Path path, long sourceSize, Path sourcePath, boolean dryRun) throws IOException {
        if (sourcePath != null && ImageFiles.same(sourcePath, path)) {
            throw new IOException("target " + path + " is the source itself");
        }
        if (!Files.exists(path)) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new NoSuchFileException(path.toString(), null, "the target's directory does not exist");
            }
            if (dryRun) {
                return new SyncTarget(path, false, null, 0, sourceSize);
            }
            return regular(path, sourceSize, StandardOpenOption.CREATE_NEW);
        }
        if (ImageFiles.isBlockDevice(path)) {
            Optional<MountedDevices.Use> use = MountedDevices.system().use(path);
            if (use.isPresent()) {
                throw new IOException("refusing to write to " + path + ": " + use.get().describe());
            }
            FileChannel ch = FileChannel.open(path, dryRun ? new StandardOpenOption[] {StandardOpenOption.READ}
                    : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE});
            long size = ch.size();
            if (size < sourceSize) {
                ch.close();
                throw new IOException("target " + path + " (" + size + " bytes) is smaller than the source ("
                        + sourceSize + " bytes)");
            }
            return new SyncTarget(path, true, ch, size, size);
        }
        if (!ImageFiles.isRegularFile(path)) {
            throw new IOException("target " + path + " is " + ImageFiles.kindOf(path)
                    + ", not an image file or block device");
        }
        Optional<String> use = MountedDevices.system().useOfBackingFile(path);
        if (use.isPresent()) {
            throw new IOException("refusing to write to " + path + ": " + use.get());
        }
        if (dryRun) {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new SyncTarget(path, false, ch, ch.size(), sourceSize);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        return regular(path, sourceSize, StandardOpenOption.WRITE);
    }

    /** A regular file set to the source's size: ftruncate, so an extension is a hole that reads as zeros. */
    private static SyncTarget regular(Path path, long sourceSize, StandardOpenOption mode) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, mode);
        try {
            long old = ch.size();
            if (old != sourceSize) {
                try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                    raf.setLength(sourceSize);
                }
            }
            return new SyncTarget(path, false, ch, old, sourceSize);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public boolean isDevice() {
        return device;
    }

    /** The target's size before the sync. */
    public long oldSize() {
        return oldSize;
    }

    /** Its size after: the source's for a file, unchanged for a device. */
    public long newSize() {
        return newSize;
    }

    /**
     * Whether [start, end) is known to be zeros without reading it: past the old end, or in a hole of a
     * sparse file (half of a typical image file). Called by one thread, in increasing order; a block is
     * asked about before anything is written to it.
     */
    boolean knownZero(long start, long end) {
        return start >= oldSize || (holes != null && holes.isHole(start, end));
    }

    /** Reads {@code dst.length} bytes at {@code position}; bytes past the old end are zeros. */
    void read(long position, byte[] dst) throws IOException {
        int present = (int) Math.max(0, Math.min(dst.length, oldSize - position));
        if (present > 0) {
            ImageFiles.readFully(channel, position, dst, present, "target " + path);
        }
        Arrays.fill(dst, present, dst.length, (byte) 0);
    }

    void write(long position, byte[] src) throws IOException {
        ImageFiles.writeFully(channel, position, src);
    }

    /**
     * Makes [position, position + length) zeros: a regular file gets a hole there, so a target that
     * was sparse where the source is stays sparse; a device, or a file system that cannot punch holes,
     * gets zeros written.
     */
    void writeZeros(long position, int length) throws IOException {
        if (!device && punchHole(position, length)) {
            return;
        }
        write(position, new byte[length]);
    }

    private boolean punchHole(long position, int length) throws IOException {
        synchronized (this) {
            if (punchFd == NOT_OPENED) {
                punchFd = Posix.openWriteOnly(RawPaths.bytes(path));
            }
        }
        return Posix.punchHole(punchFd, position, length);
    }

    /** Page-cache drop-behind for the pass, or null when there is nothing open to drop (a dry run's missing target). */
    DropBehind dropBehind() {
        return channel == null ? null : new DropBehind(path);
    }

    /** Makes what was written durable: sync reports success only after this. */
    void force() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (holes != null) {
            holes.close();
        }
        if (punchFd != NOT_OPENED) {
            Posix.close(punchFd);
        }
        if (channel != null) {
            channel.close();
        }
    }
}
