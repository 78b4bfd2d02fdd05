package cairn.ingest;

import cairn.store.catalog.EntryType;
import cairn.store.fsutil.Posix;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens, for reading, a file the walker listed as a regular file, and only if it still is one.
 *
 * <p>Between the listing and the open something else may take the name. A plain open would then
 * wait on a FIFO until some process writes to it (a backup from cron would hang for good, holding the
 * repository's lock), read a device whole, or follow a symlink out of the tree. So the file is opened
 * with {@code O_NONBLOCK|O_NOFOLLOW}, which never waits and never follows, and fstat(2) of the new
 * descriptor must say "regular file" before a byte is read. For a regular file O_NONBLOCK changes
 * nothing. The JDK cannot open with those flags, so the descriptor comes from its own open(2)
 * ({@link UnixCalls}) and becomes a channel through a {@link FileDescriptor}, whose number is set
 * through the {@code --add-opens java.base/java.io=ALL-UNNAMED} the launcher passes.
 */
final class RegularFileChannel {
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final MethodHandle SET_FD;

    static {
        try {
            SET_FD = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findSetter(FileDescriptor.class, "fd", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/java.io=ALL-UNNAMED (" + e + ")");
        }
    }

    private RegularFileChannel() {
    }

    static FileChannel open(Path p) throws IOException {
        int fd;
        try {
            fd = UnixCalls.open(p, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException("replaced by a symbolic link during the backup", e);
            }
            throw e;
        }
        try {
            EntryType now = FileStat.of(fd, p).type();
            if (now != EntryType.FILE) {
                throw new IOException("replaced by a " + describe(now) + " during the backup");
            }
            return channel(fd);
        } catch (IOException | RuntimeException | Error e) {
            Posix.close(fd);
            throw e;
        }
    }

    /** A channel that owns {@code fd}: closing it closes the descriptor. */
    private static FileChannel channel(int fd) {
        FileDescriptor d = new FileDescriptor();
        try {
            SET_FD.invokeExact(d, fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return new FileInputStream(d).getChannel();
    }

    private static String describe(EntryType t) {
        return switch (t) {
            case DIR -> "directory";
            case FIFO -> "FIFO";
            case CHAR_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
            case SOCKET -> "socket";
            default -> t.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }
}
