package cairn.store.fsutil;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's own wrappers of lstat(2), fstat(2), fstatat(2), open(2), openat(2) and reading a directory
 * from its descriptor, in {@code sun.nio.fs}, reached with the {@code --add-opens
 * java.base/sun.nio.fs=ALL-UNNAMED} that file names as bytes need already. A failure comes out as the IOException the JDK's file API would throw
 * for it (NoSuchFileException, AccessDeniedException, ...). The results of lstat and fstat are
 * {@code sun.nio.fs.UnixFileAttributes} ({@link #ATTRIBUTES}), read by the backup's FileStat.
 */
public final class UnixCalls {
    public static final Class<?> ATTRIBUTES;
    /** This platform's O_NOFOLLOW, as the JDK was built with it (x86-64 and arm64 differ). */
    public static final int O_NOFOLLOW;
    /** O_NONBLOCK and O_CLOEXEC have these values on x86-64 and arm64 alike. */
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_RDONLY = 0;
    /** O_WRONLY, O_CREAT and O_EXCL too. */
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    /** The "directory" argument of the *at calls that means the current directory: a path is used as is. */
    public static final int AT_FDCWD = -100;
    private static final MethodHandle LSTAT;
    private static final MethodHandle FSTAT;
    private static final MethodHandle FSTATAT;
    private static final MethodHandle OPEN;
    private static final MethodHandle OPENAT;
    private static final MethodHandle FDOPENDIR;
    private static final MethodHandle READDIR;
    private static final MethodHandle CLOSEDIR;
    private static final MethodHandle CLOSE;
    private static final MethodHandle RETHROW;

    static {
        try {
            ATTRIBUTES = Class.forName("sun.nio.fs.UnixFileAttributes");
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
            Class<?> unixException = Class.forName("sun.nio.fs.UnixException");
            MethodHandles.Lookup attrs = MethodHandles.privateLookupIn(ATTRIBUTES, MethodHandles.lookup());
            LSTAT = attrs.findStatic(ATTRIBUTES, "get", MethodType.methodType(ATTRIBUTES, unixPath, boolean.class))
                    .asType(MethodType.methodType(Object.class, Path.class, boolean.class));
            FSTAT = attrs.findStatic(ATTRIBUTES, "get", MethodType.methodType(ATTRIBUTES, int.class))
                    .asType(MethodType.methodType(Object.class, int.class));
            FSTATAT = attrs.findStatic(ATTRIBUTES, "get",
                            MethodType.methodType(ATTRIBUTES, int.class, unixPath, boolean.class))
                    .asType(MethodType.methodType(Object.class, int.class, Path.class, boolean.class));
            MethodHandles.Lookup calls = MethodHandles.privateLookupIn(dispatcher, MethodHandles.lookup());
            MethodType open = MethodType.methodType(int.class, unixPath, int.class, int.class);
            OPEN = calls.findStatic(dispatcher, "open", open)
                    .asType(MethodType.methodType(int.class, Path.class, int.class, int.class));
            OPENAT = calls.findStatic(dispatcher, "openat",
                    MethodType.methodType(int.class, int.class, byte[].class, int.class, int.class));
            FDOPENDIR = calls.findStatic(dispatcher, "fdopendir", MethodType.methodType(long.class, int.class));
            READDIR = calls.findStatic(dispatcher, "readdir", MethodType.methodType(byte[].class, long.class));
            CLOSEDIR = calls.findStatic(dispatcher, "closedir", MethodType.methodType(void.class, long.class));
            CLOSE = calls.findStatic(dispatcher, "close", MethodType.methodType(void.class, int.class));
            Class<?> constants = Class.forName("sun.nio.fs.UnixConstants");
            O_NOFOLLOW = (int) MethodHandles.privateLookupIn(constants, MethodHandles.lookup())
                    .findStaticGetter(constants, "O_NOFOLLOW", int.class).invokeExact();
            RETHROW = MethodHandles.privateLookupIn(unixException, MethodHandles.lookup())
                    .findVirtual(unixException, "rethrowAsIOException", MethodType.methodType(void.class, unixPath))
                    .asType(MethodType.methodType(void.class, Throwable.class, Path.class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED (" + e + ")");
        }
    }

    private UnixCalls() {
    }

    /** lstat(2) of {@code p}. */
    public static Object lstat(Path p) throws IOException {
        try {
            return (Object) LSTAT.invokeExact(p, false);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /** fstat(2) of the open descriptor {@code fd}; {@code p} names the file in an error. */
    public static Object fstat(int fd, Path p) throws IOException {
        try {
            return (Object) FSTAT.invokeExact(fd);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /** open(2) of {@code p} with {@code flags}; the new descriptor. */
    public static int open(Path p, int flags) throws IOException {
        try {
            return (int) OPEN.invokeExact(p, flags, 0);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /**
     * fstatat(2), not following a symlink: {@code name}, one name in the directory open as {@code dirFd}
     * (or a path, with {@link #AT_FDCWD}); {@code p} names it in an error.
     */
    public static Object lstatAt(int dirFd, byte[] name, Path p) throws IOException {
        try {
            return (Object) FSTATAT.invokeExact(dirFd, RawPaths.path(name), false);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /** openat(2) of {@code name} in the directory open as {@code dirFd}; {@code p} names it in an error. */
    public static int openAt(int dirFd, byte[] name, int flags, Path p) throws IOException {
        return openAt(dirFd, name, flags, 0, p);
    }

    /** {@link #openAt(int, byte[], int, Path)} with the permission bits a file made by O_CREAT gets. */
    public static int openAt(int dirFd, byte[] name, int flags, int mode, Path p) throws IOException {
        try {
            return (int) OPENAT.invokeExact(dirFd, name, flags, mode);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /**
     * A directory read whole and kept open, so what is in it can be reached relative to it ({@link
     * #lstatAt}, {@link #openAt}) whatever happens meanwhile to the path that led there.
     */
    public static final class Directory implements AutoCloseable {
        private final long stream;
        private final int fd;
        private final List<byte[]> names;

        private Directory(long stream, int fd, List<byte[]> names) {
            this.stream = stream;
            this.fd = fd;
            this.names = names;
        }

        public int fd() {
            return fd;
        }

        /** The names in it, without "." and "..", in the order the file system gave them. */
        public List<byte[]> names() {
            return names;
        }

        @Override
        public void close() {
            try {
                CLOSEDIR.invokeExact(stream);
            } catch (Throwable ignored) {
                // closedir also closes the descriptor; there is nothing more to release
            }
        }
    }

    /**
     * Reads the names of the directory open as {@code fd}, which the result takes over (closing it
     * closes the descriptor); {@code p} names the directory in an error.
     */
    public static Directory readDirectory(int fd, Path p) throws IOException {
        long stream;
        try {
            stream = (long) FDOPENDIR.invokeExact(fd);
        } catch (Throwable t) {
            close(fd);
            throw translated(t, p);
        }
        List<byte[]> names = new ArrayList<>();
        try {
            for (byte[] name; (name = (byte[]) READDIR.invokeExact(stream)) != null; ) {
                if (!isSelfOrParent(name)) {
                    names.add(name);
                }
            }
            return new Directory(stream, fd, names);
        } catch (Throwable t) {
            try {
                CLOSEDIR.invokeExact(stream);
            } catch (Throwable ignored) {
                // the read's failure is the one to report
            }
            throw translated(t, p);
        }
    }

    /** close(2); a failure (the descriptor is gone either way) is ignored. */
    public static void close(int fd) {
        try {
            CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing to do about a descriptor that would not close
        }
    }

    private static boolean isSelfOrParent(byte[] name) {
        return name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.';
    }

    /** The JDK's translation of its UnixException; anything else passes through. */
    private static IOException translated(Throwable t, Path p) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        try {
            RETHROW.invokeExact(t, p);
        } catch (IOException io) {
            return io;
        } catch (Throwable other) {
            return new IOException(p + ": " + other, other);
        }
        return new IOException(p + ": " + t, t);
    }
}
