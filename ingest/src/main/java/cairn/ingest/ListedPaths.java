package cairn.ingest;

import cairn.store.catalog.EntryType;
import cairn.store.fsutil.FileDescriptors;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Opens what the walker listed, and only if the name still holds it.
 *
 * <p>Between the listing and the open something else may take a name. A plain open would then wait
 * on a FIFO until some process writes to it (a backup from cron would hang for good, holding the
 * repository's lock), read a device whole, or follow a symlink out of the tree: a directory replaced by
 * a link to {@code /} would have the backup walk the whole system under that name. So every open is
 * {@code O_NONBLOCK|O_NOFOLLOW}, which never waits and never follows, and fstat(2) of the new
 * descriptor must agree with the listing before anything is read. For a regular file or a directory
 * O_NONBLOCK changes nothing.
 *
 * <p>The JDK cannot open with those flags, so descriptors come from its own open(2) ({@link UnixCalls});
 * a file's becomes a channel through {@link FileDescriptors}.
 */
final class ListedPaths {
    private static final int FLAGS =
            UnixCalls.O_RDONLY | UnixCalls.O_NONBLOCK | UnixCalls.O_NOFOLLOW | UnixCalls.O_CLOEXEC;

    private ListedPaths() {
    }

    /**
     * A file open for reading, with what fstat(2) said of it when it was opened; {@code fd} is the
     * channel's descriptor, for calls the channel does not offer (valid while it is open).
     */
    record OpenFile(FileChannel channel, FileStat stat, int fd) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * The regular file {@code name} of the directory open as {@code dirFd} (a whole path with {@link
     * UnixCalls#AT_FDCWD}), which is {@code p}, open for reading; fails if something else has taken its
     * name.
     */
    static OpenFile openFile(int dirFd, byte[] name, Path p) throws IOException {
        int fd = open(dirFd, name, p);
        try {
            FileStat now = FileStat.of(fd, p);
            if (now.type() != EntryType.FILE) {
                throw new IOException("replaced by a " + describe(now.type()) + " during the backup");
            }
            return new OpenFile(FileDescriptors.readChannel(fd), now, fd);
        } catch (IOException | RuntimeException | Error e) {
            UnixCalls.close(fd);
            throw e;
        }
    }

    /**
     * The directory {@code name} in the directory open as {@code parentFd} (a whole path with {@link
     * UnixCalls#AT_FDCWD}), which is {@code dir} and which
     * the listing saw as inode {@code ino} on device {@code dev}, read and kept open; fails if another
     * directory or anything else has taken its name.
     */
    static UnixCalls.Directory readDirectory(int parentFd, byte[] name, Path dir, long dev, long ino)
            throws IOException {
        int fd = open(parentFd, name, dir);
        try {
            FileStat now = FileStat.of(fd, dir);
            if (now.type() != EntryType.DIR) {
                throw new IOException("replaced by a " + describe(now.type()) + " during the backup");
            }
            if (now.dev() != dev || now.ino() != ino) {
                throw new IOException("replaced by another directory during the backup");
            }
        } catch (IOException | RuntimeException | Error e) {
            UnixCalls.close(fd);
            throw e;
        }
        return UnixCalls.readDirectory(fd, dir);
    }

    private static int open(int dirFd, byte[] name, Path p) throws IOException {
        try {
            return UnixCalls.openAt(dirFd, name, FLAGS, p);
        } catch (FileSystemException e) {
            if (isSymlink(dirFd, name, p)) {
                throw new IOException("replaced by a symbolic link during the backup", e);
            }
            throw e;
        }
    }

    /** Whether O_NOFOLLOW refused the open because the name now holds a symlink. */
    private static boolean isSymlink(int dirFd, byte[] name, Path p) {
        try {
            return FileStat.at(dirFd, name, p).type() == EntryType.SYMLINK;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(EntryType t) {
        return switch (t) {
            case FILE -> "regular file";
            case DIR -> "directory";
            case FIFO -> "FIFO";
            case CHAR_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
            case SOCKET -> "socket";
            case SYMLINK -> "symbolic link";
        };
    }
}
