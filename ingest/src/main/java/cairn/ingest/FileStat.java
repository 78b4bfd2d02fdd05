package cairn.ingest;

import cairn.store.catalog.EntryType;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * What lstat(2) says about a path, with nanosecond times.
 *
 * <p>Read from the JDK's own lstat result ({@code sun.nio.fs.UnixFileAttributes}, see {@link UnixCalls}):
 * {@code Files.readAttributes(path, "unix:...")} parses the attribute list and builds a map of boxed
 * values on every call, which cost the walker twice as much per file.
 */
record FileStat(EntryType type, int mode, int uid, int gid, long size, long mtimeNs, long ctimeNs, long ino,
                long dev, int nlink, long rdev) {

    private static final MethodHandle MODE;
    private static final MethodHandle UID;
    private static final MethodHandle GID;
    private static final MethodHandle SIZE;
    private static final MethodHandle MTIME_SEC;
    private static final MethodHandle MTIME_NSEC;
    private static final MethodHandle CTIME_SEC;
    private static final MethodHandle CTIME_NSEC;
    private static final MethodHandle INO;
    private static final MethodHandle DEV;
    private static final MethodHandle NLINK;
    private static final MethodHandle RDEV;

    static {
        try {
            Class<?> attrs = UnixCalls.ATTRIBUTES;
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(attrs, MethodHandles.lookup());
            MODE = field(l, attrs, "st_mode", int.class);
            UID = field(l, attrs, "st_uid", int.class);
            GID = field(l, attrs, "st_gid", int.class);
            SIZE = field(l, attrs, "st_size", long.class);
            MTIME_SEC = field(l, attrs, "st_mtime_sec", long.class);
            MTIME_NSEC = field(l, attrs, "st_mtime_nsec", long.class);
            CTIME_SEC = field(l, attrs, "st_ctime_sec", long.class);
            CTIME_NSEC = field(l, attrs, "st_ctime_nsec", long.class);
            INO = field(l, attrs, "st_ino", long.class);
            DEV = field(l, attrs, "st_dev", long.class);
            NLINK = field(l, attrs, "st_nlink", int.class);
            RDEV = field(l, attrs, "st_rdev", long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED (" + e + ")");
        }
    }

    private static MethodHandle field(MethodHandles.Lookup l, Class<?> attrs, String name, Class<?> type)
            throws ReflectiveOperationException {
        return l.findGetter(attrs, name, type).asType(MethodType.methodType(type, Object.class));
    }

    /** lstat(2) of {@code p}; a failure is the IOException the JDK's file API would throw for it. */
    static FileStat of(Path p) throws IOException {
        return from(UnixCalls.lstat(p));
    }

    /** lstat(2) of {@code name} in the directory open as {@code dirFd} (fstatat), which is {@code p}. */
    static FileStat at(int dirFd, byte[] name, Path p) throws IOException {
        return from(UnixCalls.lstatAt(dirFd, name, p));
    }

    /** fstat(2) of the open descriptor {@code fd}, which is {@code p}. */
    static FileStat of(int fd, Path p) throws IOException {
        return from(UnixCalls.fstat(fd, p));
    }

    private static FileStat from(Object a) {
        try {
            int stMode = (int) MODE.invokeExact(a);
            return new FileStat(typeOf(stMode), stMode & 07777, (int) UID.invokeExact(a), (int) GID.invokeExact(a),
                    (long) SIZE.invokeExact(a),
                    nanos((long) MTIME_SEC.invokeExact(a), (long) MTIME_NSEC.invokeExact(a)),
                    nanos((long) CTIME_SEC.invokeExact(a), (long) CTIME_NSEC.invokeExact(a)),
                    (long) INO.invokeExact(a), (long) DEV.invokeExact(a), (int) NLINK.invokeExact(a),
                    (long) RDEV.invokeExact(a));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Nanoseconds since the epoch; saturated, as FileTime does, for times outside the years 1678-2261. */
    private static long nanos(long sec, long nsec) {
        if (sec >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (sec <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return sec * 1_000_000_000L + nsec;
    }

    private static EntryType typeOf(int stMode) {
        return switch (stMode & 0170000) {
            case 0100000 -> EntryType.FILE;
            case 0040000 -> EntryType.DIR;
            case 0120000 -> EntryType.SYMLINK;
            case 0010000 -> EntryType.FIFO;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            case 0140000 -> EntryType.SOCKET;
            default -> throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(stMode));
        };
    }
}
