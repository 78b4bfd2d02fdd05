package cairn.store.fsutil;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * File names are bytes on Unix, and a name that is not valid UTF-8 must survive backup and restore.
 * {@code Path.toString()} would decode it lossily, so this reads and builds paths through the JDK's
 * own byte representation ({@code sun.nio.fs.UnixPath}), which needs
 * {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (the launcher and the test runner pass it).
 */
public final class RawPaths {
    private static final MethodHandle AS_BYTES;
    private static final MethodHandle FROM_BYTES;

    static {
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Class<?> unixFs = Class.forName("sun.nio.fs.UnixFileSystem");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
            AS_BYTES = lookup.findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class));
            FROM_BYTES = lookup.findConstructor(unixPath, MethodType.methodType(void.class, unixFs, byte[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED to handle file names as bytes ("
                            + e + ")");
        }
    }

    private RawPaths() {
    }

    /** The bytes of a path as the kernel sees them. */
    public static byte[] bytes(Path p) {
        try {
            return (byte[]) AS_BYTES.invoke(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The bytes of the last name element of a path. */
    public static byte[] fileName(Path p) {
        Path f = p.getFileName();
        return f == null ? new byte[0] : bytes(f);
    }

    /** A path made of exactly these bytes, on the default file system. */
    public static Path path(byte[] raw) {
        for (byte b : raw) {
            if (b == 0) {
                throw new IllegalArgumentException("a path cannot contain a NUL byte");
            }
        }
        try {
            return (Path) FROM_BYTES.invoke(FileSystems.getDefault(), raw.clone());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The path these bytes spell, with repeated and trailing slashes dropped as {@code Path.of} does. */
    public static Path parse(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            boolean slash = b[i] == '/';
            if (slash && (i + 1 == b.length && out.size() > 0 || i + 1 < b.length && b[i + 1] == '/')) {
                continue;
            }
            out.write(b[i]);
        }
        return path(out.toByteArray());
    }

    /** {@code dir/name} where name is one raw name element. */
    public static Path resolve(Path dir, byte[] name) {
        byte[] d = bytes(dir);
        if (d.length == 0) {
            return path(name);
        }
        boolean slash = d[d.length - 1] == '/';
        byte[] out = new byte[d.length + (slash ? 0 : 1) + name.length];
        System.arraycopy(d, 0, out, 0, d.length);
        int pos = d.length;
        if (!slash) {
            out[pos++] = '/';
        }
        System.arraycopy(name, 0, out, pos, name.length);
        return path(out);
    }

    /** For messages: the name decoded as UTF-8, invalid bytes shown as \xNN. */
    public static String display(byte[] raw) {
        return Names.display(raw);
    }
}
