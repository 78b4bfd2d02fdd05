package cairn.ingest;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * The JDK's own wrappers of lstat(2), fstat(2) and open(2), in {@code sun.nio.fs}, reached with the
 * {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} that file names as bytes need already. A failure
 * comes out as the IOException the JDK's file API would throw for it (NoSuchFileException,
 * AccessDeniedException, ...). The results of lstat and fstat are {@code sun.nio.fs.UnixFileAttributes},
 * which {@link FileStat} reads.
 */
final class UnixCalls {
    static final Class<?> ATTRIBUTES;
    private static final MethodHandle LSTAT;
    private static final MethodHandle FSTAT;
    private static final MethodHandle OPEN;
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
            OPEN = MethodHandles.privateLookupIn(dispatcher, MethodHandles.lookup())
                    .findStatic(dispatcher, "open", MethodType.methodType(int.class, unixPath, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Path.class, int.class, int.class));
            RETHROW = MethodHandles.privateLookupIn(unixException, MethodHandles.lookup())
                    .findVirtual(unixException, "rethrowAsIOException", MethodType.methodType(void.class, unixPath))
                    .asType(MethodType.methodType(void.class, Throwable.class, Path.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED (" + e + ")");
        }
    }

    private UnixCalls() {
    }

    /** lstat(2) of {@code p}. */
    static Object lstat(Path p) throws IOException {
        try {
            return (Object) LSTAT.invokeExact(p, false);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /** fstat(2) of the open descriptor {@code fd}; {@code p} names the file in an error. */
    static Object fstat(int fd, Path p) throws IOException {
        try {
            return (Object) FSTAT.invokeExact(fd);
        } catch (Throwable t) {
            throw translated(t, p);
        }
    }

    /** open(2) of {@code p} with {@code flags}; the new descriptor. */
    static int open(Path p, int flags) throws IOException {
        try {
            return (int) OPEN.invokeExact(p, flags, 0);
        } catch (Throwable t) {
            throw translated(t, p);
        }
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
