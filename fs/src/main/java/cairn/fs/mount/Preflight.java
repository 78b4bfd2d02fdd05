package cairn.fs.mount;

import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FuseUnavailableException;
import cairn.fs.fuse.LibFuse2;
import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Checks made before mounting, so each way it can fail ends in one clear line rather than libfuse's
 * own output: FUSE missing, mount point missing / not a directory / not empty / already mounted, or a
 * stale mount left by a killed process (its stat fails with ENOTCONN).
 */
public final class Preflight {
    /** The one libc call Java cannot make for us: stat that reports errno (Java's hides ENOTCONN). */
    public interface LibC {
        int access(byte[] path, int mode);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Preflight() {
    }

    /** Throws {@link FuseUnavailableException} when /dev/fuse or libfuse 2 is missing. */
    public static LibFuse2 fuse() {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new FuseUnavailableException("/dev/fuse is missing: install fuse3 and libfuse2"
                    + " (apt install fuse3 libfuse2) and load the fuse module (modprobe fuse)");
        }
        return LibFuse2.load();
    }

    /** A stale FUSE mount: the directory is mounted but nobody serves it. */
    public static boolean isStale(Path dir) {
        byte[] p = RawPaths.bytes(dir);
        byte[] c = java.util.Arrays.copyOf(p, p.length + 1);
        return LIBC.access(c, 0) != 0 && RUNTIME.getLastError() == Errno.ENOTCONN;
    }

    /** The mount point as an absolute path, checked to be an empty directory nothing is mounted on. */
    public static Path mountPoint(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (isStale(abs)) {
            throw new MountPointException(abs + " is a stale mount left by a cairn mount that was killed;"
                    + " clear it with: fusermount -u " + abs);
        }
        if (!Files.exists(abs)) {
            throw new MountPointException("mount point " + abs + " does not exist: create it with mkdir");
        }
        if (!Files.isDirectory(abs)) {
            throw new MountPointException("mount point " + abs + " is not a directory");
        }
        Path real = abs.toRealPath();
        String type = MountTable.type(real);
        if (type != null) {
            throw new MountPointException(abs + " is already mounted" + (type.equals(FuseMount.TYPE)
                    ? ": unmount it first (cairn umount " + abs + ")" : " (" + type + "): use an empty directory"));
        }
        try (Stream<Path> s = Files.list(real)) {
            if (s.findAny().isPresent()) {
                throw new MountPointException("mount point " + abs + " is not empty: use an empty directory");
            }
        }
        return real;
    }
}
