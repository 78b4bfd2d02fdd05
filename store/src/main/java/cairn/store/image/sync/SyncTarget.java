package cairn.store.image.sync;

import cairn.store.fsutil.AtomicFiles;
import cairn.store.fsutil.InUseTargets;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.TemporaryFiles;
import cairn.store.fsutil.TemporaryName;
import cairn.store.image.CreatableTarget;
import cairn.store.image.DataRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The image file or block device a sync writes into, checked before anything is written: a block device
 * must not be in use (mounted, swap) and must hold the whole source; a regular file must not back a
 * mounted loop device. Bytes past the target's old end read as zeros, which is what extending it gives,
 * so a dry run and a real run compare the same bytes.
 *
 * <p>A sync that fails must not leave more damage than the blocks it already wrote: a regular file
 * keeps its size until every block is in place ({@link #finish}), and a target that did not exist is
 * written under a hidden temporary name, renamed into place only once its SHA-256 is confirmed
 * ({@link #commit}) and removed otherwise, also when a signal stops the sync: once the stop has begun
 * it is never renamed ({@link TemporaryFiles}). A sync killed outright leaves that file behind; the next
 * sync of the same target removes it ({@link TemporaryName#removeStale}).
 */
public final class SyncTarget implements AutoCloseable {
    /** A new target is written as {@code .NAME.cairn-sync-<16 hex>} beside it. */
    private static final String TEMPORARY_TAG = "cairn-sync";
    private final Path path;
    /** The file written: {@link #path}, or the temporary file that becomes it. */
    private final Path file;
    private final boolean created;
    private final boolean device;
    private final FileChannel channel;
    private final long oldSize;
    private final long newSize;
    /** Where a regular file's holes are; null for a device or a target that does not exist yet. */
    private final DataRegions holes;
    private static final int NOT_OPENED = -1;
    /** A write descriptor for punching holes and setting the size, opened on first need (the JDK's channel hides its own). */
    private int writeFd = NOT_OPENED;
    /** The temporary file of a target that did not exist; null when the target itself is written. */
    private final TemporaryFiles temporary;
    private final TemporaryFiles.Pending pending;

    private SyncTarget(Path path, Path file, boolean created, boolean device, FileChannel channel, long oldSize,
                       long newSize) throws IOException {
        this.path = path;
        this.file = file;
        this.created = created;
        this.device = device;
        this.channel = channel;
        this.oldSize = oldSize;
        this.newSize = newSize;
        this.holes = channel != null && !device && !created ? DataRegions.open(RawPaths.bytes(file)) : null;
        this.temporary = file.equals(path) ? null : new TemporaryFiles();
        this.pending = temporary == null ? null : temporary.add(file);
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
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("target " + path + " is a symbolic link to nothing");
            }
            CreatableTarget.check(path);
            if (dryRun) {
                return new SyncTarget(path, path, true, false, null, 0, sourceSize);
            }
            TemporaryName tmp = TemporaryName.of(path, TEMPORARY_TAG);
            tmp.removeStale();
            return opened(path, tmp.fresh(), sourceSize, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        }
        if (ImageFiles.isBlockDevice(path)) {
            InUseTargets.refuseMountedDevice(path);
            FileChannel ch = FileChannel.open(path, dryRun ? new StandardOpenOption[] {StandardOpenOption.READ}
                    : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE});
            long size = ch.size();
            if (size < sourceSize) {
                ch.close();
                throw new IOException("target " + path + " (" + size + " bytes) is smaller than the source ("
                        + sourceSize + " bytes)");
            }
            return new SyncTarget(path, path, false, true, ch, size, size);
        }
        if (!ImageFiles.isRegularFile(path)) {
            throw new IOException("target " + path + " is " + ImageFiles.kindOf(path)
                    + ", not an image file or block device");
        }
        InUseTargets.refuseBackingFile(path);
        if (dryRun) {
            return opened(path, path, sourceSize);
        }
        // Left by a sync that was killed while this target did not exist yet.
        TemporaryName.of(path, TEMPORARY_TAG).removeStale();
        return opened(path, path, sourceSize, StandardOpenOption.WRITE);
    }

    private static SyncTarget opened(Path path, Path file, long sourceSize, OpenOption... write) throws IOException {
        Set<OpenOption> options = new HashSet<>(List.of(write));
        options.add(StandardOpenOption.READ);
        FileChannel ch = FileChannel.open(file, options);
        try {
            return new SyncTarget(path, file, !file.equals(path), false, ch, ch.size(), sourceSize);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Whether the target did not exist before this sync (a dry run: would be created). */
    public boolean isNew() {
        return created;
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
        ImageFiles.writeFully(channel, position, src, "target " + path);
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
        return Posix.punchHole(writeFd(), position, length);
    }

    private synchronized int writeFd() throws IOException {
        if (writeFd == NOT_OPENED) {
            writeFd = Posix.openWriteOnly(RawPaths.bytes(file));
        }
        return writeFd;
    }

    /** Page-cache drop-behind for the pass, or null when there is nothing open to drop (a dry run's missing target). */
    DropBehind dropBehind() {
        return channel == null ? null : new DropBehind(file);
    }

    /**
     * Once every block is in place: sets a regular file to the source's size (a longer file is cut, a
     * shorter one extended by a hole) and makes what was written durable. Sync reports success only after this.
     */
    void finish() throws IOException {
        if (channel == null) {
            return;
        }
        if (!device && channel.size() != newSize) {
            Posix.truncate(writeFd(), newSize);
        }
        channel.force(true);
    }

    /**
     * After a failure: a file that blocks written past its old end have grown goes back to its old
     * size, so a failed sync never leaves a target as long as the source, looking whole.
     */
    void restoreSize() throws IOException {
        // Its size from the file, not the channel: an interrupted worker (a sync stopped by a signal) closes that.
        if (!device && !created && channel != null && Files.size(file) > oldSize) {
            Posix.truncate(writeFd(), oldSize);
        }
    }

    /**
     * A target that did not exist takes its name now, after its contents were confirmed; never once the
     * process is stopping on a signal ({@link TemporaryFiles.Stopped}).
     */
    void commit() throws IOException {
        if (pending != null) {
            pending.rename(() -> Files.move(file, path, StandardCopyOption.ATOMIC_MOVE));
            AtomicFiles.fsyncDirectory(path.toAbsolutePath().getParent());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (holes != null) {
                holes.close();
            }
            if (writeFd != NOT_OPENED) {
                Posix.close(writeFd);
            }
            if (channel != null) {
                channel.close();
            }
        } finally {
            if (pending != null) {
                pending.remove(); // unless it took its name
                temporary.close();
            }
        }
    }
}
