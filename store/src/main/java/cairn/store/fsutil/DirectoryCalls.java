package cairn.store.fsutil;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * Making and changing the entries of a directory open as a descriptor: mkdirat(2), symlinkat(2),
 * mknodat(2), linkat(2), renameat(2), unlinkat(2), and owner, mode and times by name (fchownat(2),
 * fchmodat(2), utimensat(2)) or of the directory itself (fchown, fchmod, futimens). A restore works
 * inside each directory through these, so a tree whose paths pass PATH_MAX comes back whole, and no
 * path is resolved from the root again for every entry. Names are one component, as raw bytes; the
 * {@code Path} arguments only name the entry in an error.
 */
public final class DirectoryCalls {
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int EEXIST = 17;

    public interface LibC {
        int mkdirat(int dirfd, byte[] name, int mode);

        int symlinkat(byte[] target, int dirfd, byte[] name);

        int mknodat(int dirfd, byte[] name, int mode, long dev);

        int linkat(int fromDirfd, byte[] fromName, int toDirfd, byte[] toName, int flags);

        int renameat(int fromDirfd, byte[] fromName, int toDirfd, byte[] toName);

        int unlinkat(int dirfd, byte[] name, int flags);

        int fchownat(int dirfd, byte[] name, int uid, int gid, int flags);

        int fchmodat(int dirfd, byte[] name, int mode, int flags);

        int utimensat(int dirfd, byte[] name, Posix.Timespec[] times, int flags);

        int fchown(int fd, int uid, int gid);

        int fchmod(int fd, int mode);

        int futimens(int fd, Posix.Timespec[] times);

        String strerror(int errnum);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private DirectoryCalls() {
    }

    /** A new directory {@code name} with mode {@code mode}; fails with FileAlreadyExistsException if the name is taken. */
    public static void mkdir(int dirFd, byte[] name, int mode, Path p) throws IOException {
        if (LIBC.mkdirat(dirFd, cstr(name), mode) != 0) {
            throw error("mkdir", p);
        }
    }

    public static void symlink(byte[] target, int dirFd, byte[] name, Path p) throws IOException {
        if (LIBC.symlinkat(cstr(target), dirFd, cstr(name)) != 0) {
            throw error("symlink", p);
        }
    }

    /** A FIFO, device node or socket placeholder; {@code stMode} includes the type bits. */
    public static void mknod(int dirFd, byte[] name, int stMode, long rdev, Path p) throws IOException {
        if (LIBC.mknodat(dirFd, cstr(name), stMode, rdev) != 0) {
            throw error("mknod", p);
        }
    }

    /** A new name {@code toName} in {@code toDirFd} for the file {@code fromName} of {@code fromDirFd}. */
    public static void link(int fromDirFd, byte[] fromName, int toDirFd, byte[] toName, Path p) throws IOException {
        if (LIBC.linkat(fromDirFd, cstr(fromName), toDirFd, cstr(toName), 0) != 0) {
            throw error("link", p);
        }
    }

    /** Renames {@code from} to {@code to} in one directory, atomically replacing what {@code to} named. */
    public static void rename(int dirFd, byte[] from, byte[] to, Path p) throws IOException {
        if (LIBC.renameat(dirFd, cstr(from), dirFd, cstr(to)) != 0) {
            throw error("rename", p);
        }
    }

    /** Removes {@code name}, anything but a directory. */
    public static void unlink(int dirFd, byte[] name, Path p) throws IOException {
        if (LIBC.unlinkat(dirFd, cstr(name), 0) != 0) {
            throw error("unlink", p);
        }
    }

    /** Owner of {@code name} itself (a symlink is not followed). */
    public static void chown(int dirFd, byte[] name, int uid, int gid, Path p) throws IOException {
        if (LIBC.fchownat(dirFd, cstr(name), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("chown", p);
        }
    }

    /** Mode of {@code name}, which must not be a symlink (Linux has no mode for one). */
    public static void chmod(int dirFd, byte[] name, int mode, Path p) throws IOException {
        if (LIBC.fchmodat(dirFd, cstr(name), mode, 0) != 0) {
            throw error("chmod", p);
        }
    }

    /** Access and modification times of {@code name} itself, in nanoseconds (a symlink is not followed). */
    public static void setTimes(int dirFd, byte[] name, long atimeNs, long mtimeNs, Path p) throws IOException {
        if (LIBC.utimensat(dirFd, cstr(name), times(atimeNs, mtimeNs), AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("utimensat", p);
        }
    }

    /** Owner of the open file {@code fd}. */
    public static void chown(int fd, int uid, int gid, Path p) throws IOException {
        if (LIBC.fchown(fd, uid, gid) != 0) {
            throw error("chown", p);
        }
    }

    public static void chmod(int fd, int mode, Path p) throws IOException {
        if (LIBC.fchmod(fd, mode) != 0) {
            throw error("chmod", p);
        }
    }

    public static void setTimes(int fd, long atimeNs, long mtimeNs, Path p) throws IOException {
        if (LIBC.futimens(fd, times(atimeNs, mtimeNs)) != 0) {
            throw error("futimens", p);
        }
    }

    private static Posix.Timespec[] times(long atimeNs, long mtimeNs) {
        Posix.Timespec[] ts = Struct.arrayOf(RUNTIME, Posix.Timespec.class, 2);
        ts[0].sec.set(Math.floorDiv(atimeNs, 1_000_000_000L));
        ts[0].nsec.set(Math.floorMod(atimeNs, 1_000_000_000L));
        ts[1].sec.set(Math.floorDiv(mtimeNs, 1_000_000_000L));
        ts[1].nsec.set(Math.floorMod(mtimeNs, 1_000_000_000L));
        return ts;
    }

    /** A NUL-terminated copy, as C expects. */
    private static byte[] cstr(byte[] name) {
        return java.util.Arrays.copyOf(name, name.length + 1);
    }

    private static IOException error(String call, Path p) {
        int errno = RUNTIME.getLastError();
        String where = call + " " + RawPaths.display(RawPaths.bytes(p)) + ": " + LIBC.strerror(errno);
        return errno == EEXIST ? new FileAlreadyExistsException(where) : new IOException(where);
    }
}
