package cairn.store.restore;

import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.fsutil.DirectoryCalls;
import cairn.store.fsutil.FileDescriptors;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory of the restore's target, open as a descriptor. Everything in it is created, linked,
 * renamed and given its metadata relative to it ({@link DirectoryCalls}), so a tree whose paths pass
 * PATH_MAX comes back whole, and a directory renamed or replaced by a symlink meanwhile cannot send
 * the restore elsewhere.
 *
 * <p>It stays open while anything in it is still being restored: each such piece of work holds it
 * ({@link #hold}) and lets go when done ({@link #release}), the listing of its entries included. The
 * last release gives the directory its own owner, mode and times and closes it. That is after
 * everything in it exists, since making entries would change its mtime and a read-only mode would
 * stop them being made. A subdirectory holds its parent until it is done itself.
 */
final class TargetDir {
    private static final int DIR_FLAGS =
            UnixCalls.O_RDONLY | UnixCalls.O_NOFOLLOW | UnixCalls.O_NONBLOCK | UnixCalls.O_CLOEXEC;
    private static final int NEW_FILE_FLAGS =
            UnixCalls.O_WRONLY | UnixCalls.O_CREAT | UnixCalls.O_EXCL | UnixCalls.O_NOFOLLOW | UnixCalls.O_CLOEXEC;

    private static final Set<PosixFilePermission> OWNER_WRITE_SEARCH =
            EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final int fd;
    private final Path path;
    /** The directory's own metadata, set when it is done; null leaves it as it is (the parent of a restored file). */
    private final Entry entry;
    private final TargetDir parent;
    private final boolean setOwner;
    /** Every directory open so far and not yet done, so a failed restore can close what is left. */
    private final Set<TargetDir> open;
    private final AtomicInteger holds = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private TargetDir(int fd, Path path, Entry entry, TargetDir parent, boolean setOwner, Set<TargetDir> open) {
        this.fd = fd;
        this.path = path;
        this.entry = entry;
        this.parent = parent;
        this.setOwner = setOwner;
        this.open = open;
        open.add(this);
    }

    /**
     * The existing directory {@code dir} (symlinks followed: it is the user's choice of target), held
     * once for the caller; {@code entry}: its metadata to set when done, or null.
     */
    static TargetDir open(Path dir, Entry entry, boolean setOwner, Set<TargetDir> open) throws IOException {
        int fd = UnixCalls.open(dir, UnixCalls.O_RDONLY | UnixCalls.O_CLOEXEC);
        return new TargetDir(checkedDirectory(fd, dir, entry != null), dir, entry, null, setOwner, open);
    }

    Path pathOf(byte[] name) {
        return RawPaths.resolve(path, name);
    }

    /**
     * The subdirectory {@code name}, made (mode 0700 until it is done) unless a directory is there
     * already; anything else under that name is removed first. It holds this directory until done.
     */
    TargetDir subdir(byte[] name, Entry e) throws IOException {
        Path p = pathOf(name);
        BasicFileAttributes there = existing(name, p);
        if (there == null || !there.isDirectory()) {
            if (there != null) {
                unlink(name);
            }
            DirectoryCalls.mkdir(fd, name, 0700, p);
        }
        int child = checkedDirectory(UnixCalls.openAt(fd, name, DIR_FLAGS, p), p, there != null);
        hold();
        return new TargetDir(child, p, e, this, setOwner, open);
    }

    /** A new empty file {@code name} (mode 0600 until its metadata is set), open for writing. */
    FileChannel createFile(byte[] name) throws IOException {
        return FileDescriptors.writeChannel(UnixCalls.openAt(fd, name, NEW_FILE_FLAGS, 0600, pathOf(name)));
    }

    void symlink(byte[] target, byte[] name) throws IOException {
        DirectoryCalls.symlink(target, fd, name, pathOf(name));
    }

    void mknod(byte[] name, int stMode, long rdev) throws IOException {
        DirectoryCalls.mknod(fd, name, stMode, rdev, pathOf(name));
    }

    /** {@code name} becomes another name of the file {@code fromName} in {@code from}. */
    void link(TargetDir from, byte[] fromName, byte[] name) throws IOException {
        DirectoryCalls.link(from.fd, fromName, fd, name, pathOf(name));
    }

    /** Atomically puts {@code from} in place of whatever {@code to} names. */
    void rename(byte[] from, byte[] to) throws IOException {
        DirectoryCalls.rename(fd, from, to, pathOf(to));
    }

    void unlink(byte[] name) throws IOException {
        DirectoryCalls.unlink(fd, name, pathOf(name));
    }

    /**
     * Removes {@code name} if it is still there and this directory is still open. Safe from any thread at
     * any time (a restore being stopped), since it cannot run while the descriptor is closed and reused.
     */
    synchronized void unlinkIfOpen(byte[] name) throws IOException {
        if (!closed.get()) {
            try {
                unlink(name);
            } catch (IOException e) {
                if (existing(name, pathOf(name)) != null) {
                    throw e;
                } // else removed already
            }
        }
    }

    /** Owner (as root only), then mode (chown clears set-id bits), then times, which chmod does not touch. */
    void setMetadata(byte[] name, Entry e) throws IOException {
        Path p = pathOf(name);
        if (setOwner) {
            DirectoryCalls.chown(fd, name, e.uid(), e.gid(), p);
        }
        if (e.type() != EntryType.SYMLINK) {
            DirectoryCalls.chmod(fd, name, e.mode(), p);
        }
        DirectoryCalls.setTimes(fd, name, e.mtimeNs(), e.mtimeNs(), p);
    }

    /** The names in this directory that start with {@code prefix}. */
    List<byte[]> namesStartingWith(String prefix) throws IOException {
        byte[] want = prefix.getBytes(StandardCharsets.US_ASCII);
        int dup = UnixCalls.openAt(fd, new byte[] {'.'}, DIR_FLAGS, path);
        try (UnixCalls.Directory d = UnixCalls.readDirectory(dup, path)) {
            return d.names().stream()
                    .filter(n -> n.length >= want.length && Arrays.equals(n, 0, want.length, want, 0, want.length))
                    .toList();
        }
    }

    void hold() {
        holds.incrementAndGet();
    }

    /**
     * Lets go of one hold; the last sets the directory's metadata, closes it and lets go of the parent,
     * and so on up while each is done (a loop: a tree may be thousands of levels deep). The first
     * failure to set metadata is thrown once every directory that was done is closed.
     */
    void release() throws IOException {
        IOException failure = null;
        for (TargetDir d = this; d != null && d.holds.decrementAndGet() == 0; d = d.parent) {
            try {
                d.setOwnMetadata();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            } finally {
                d.close();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void setOwnMetadata() throws IOException {
        if (entry != null) {
            if (setOwner) {
                DirectoryCalls.chown(fd, entry.uid(), entry.gid(), path);
            }
            DirectoryCalls.chmod(fd, entry.mode(), path);
            DirectoryCalls.setTimes(fd, entry.mtimeNs(), entry.mtimeNs(), path);
        }
    }

    /** Closes the descriptor, once; for a failed restore, without setting anything. */
    synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            UnixCalls.close(fd);
            open.remove(this);
        }
    }

    /** The permission bits of {@code perms}: PosixFilePermission lists them from 0400 down to 0001. */
    private static int modeBits(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 0400 >> perm.ordinal();
        }
        return mode;
    }

    private BasicFileAttributes existing(byte[] name, Path p) throws IOException {
        try {
            return (BasicFileAttributes) UnixCalls.lstatAt(fd, name, p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * {@code fd} if it is a directory; otherwise it is closed and the restore stops. {@code reused}: it
     * was there before and gets its mode from the snapshot when done. An earlier restore may have left
     * it read-only (its mode from the snapshot, set last), and a restore that is not root could then
     * put nothing in it: it is made writable for its owner until then, where that is allowed.
     */
    private static int checkedDirectory(int fd, Path p, boolean reused) throws IOException {
        try {
            PosixFileAttributes a = (PosixFileAttributes) UnixCalls.fstat(fd, p);
            if (!a.isDirectory()) {
                throw new IOException(RawPaths.display(RawPaths.bytes(p)) + " is not a directory");
            }
            if (reused && !a.permissions().containsAll(OWNER_WRITE_SEARCH)) {
                try {
                    DirectoryCalls.chmod(fd, modeBits(a.permissions()) | 0700, p);
                } catch (IOException notOwner) {
                    // the group or others may still write here; if not, the first entry made says so
                }
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            UnixCalls.close(fd);
            throw e;
        }
    }
}
