package cairn.store.fsutil;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * The few system calls restore needs that the JDK does not offer, called with raw path bytes:
 * mknod/mkfifo for special files, and utimensat to set a symlink's own times with nanoseconds; and for
 * images, lseek with SEEK_DATA/SEEK_HOLE to skip a sparse file's holes without reading them, and
 * SEEK_END for a block device's size (stat reports 0 for it), and fallocate to punch a hole where
 * an image file must become zeros, and ftruncate to size one; and posix_fadvise, to tell the page cache what will be read next
 * and what will not be read again; and link and renameat2, to give a file a name only when the name is
 * free (see {@link NoReplaceRename}).
 */
public final class Posix {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    public interface LibC {
        int mknod(byte[] path, int mode, long dev);

        int utimensat(int dirfd, byte[] path, Timespec[] times, int flags);

        int lchown(byte[] path, int uid, int gid);

        int chmod(byte[] path, int mode);

        String strerror(int errnum);

        int geteuid();

        int isatty(int fd);

        int open(byte[] path, int flags);

        int openat(int dirfd, byte[] path, int flags);

        long lseek(int fd, long offset, int whence);

        int fallocate(int fd, int mode, long offset, long len);

        int ftruncate(int fd, long length);

        int close(int fd);

        int posix_fadvise(int fd, long offset, long len, int advice);

        long readlinkat(int dirfd, byte[] path, @jnr.ffi.annotations.Out byte[] buf, long size);

        int link(byte[] oldpath, byte[] newpath);

        int renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);
    }

    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    private static final int ENXIO = 6;
    private static final int POSIX_FADV_WILLNEED = 3;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int RENAME_NOREPLACE = 1;

    /** struct timespec on 64-bit Linux. */
    public static final class Timespec extends Struct {
        public final Signed64 sec = new Signed64();
        public final Signed64 nsec = new Signed64();

        public Timespec(Runtime r) {
            super(r);
        }
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Posix() {
    }

    /** A NUL-terminated copy, as C expects. */
    private static byte[] cstr(byte[] path) {
        return java.util.Arrays.copyOf(path, path.length + 1);
    }

    /** Creates a FIFO, device node or socket placeholder; {@code stMode} includes the type bits. */
    public static void mknod(byte[] path, int stMode, long rdev) throws IOException {
        if (LIBC.mknod(cstr(path), stMode, rdev) != 0) {
            throw error("mknod", path);
        }
    }

    /** Sets atime and mtime of the path itself (a symlink is not followed). */
    public static void setTimes(byte[] path, long atimeNs, long mtimeNs) throws IOException {
        Timespec[] ts = Struct.arrayOf(RUNTIME, Timespec.class, 2);
        ts[0].sec.set(Math.floorDiv(atimeNs, 1_000_000_000L));
        ts[0].nsec.set(Math.floorMod(atimeNs, 1_000_000_000L));
        ts[1].sec.set(Math.floorDiv(mtimeNs, 1_000_000_000L));
        ts[1].nsec.set(Math.floorMod(mtimeNs, 1_000_000_000L));
        if (LIBC.utimensat(AT_FDCWD, cstr(path), ts, AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("utimensat", path);
        }
    }

    public static void lchown(byte[] path, int uid, int gid) throws IOException {
        if (LIBC.lchown(cstr(path), uid, gid) != 0) {
            throw error("lchown", path);
        }
    }

    /** Whether file descriptor {@code fd} (2: stderr) is a terminal: progress is shown only then. */
    public static boolean isTerminal(int fd) {
        return LIBC.isatty(fd) == 1;
    }

    public static boolean isRoot() {
        return LIBC.geteuid() == 0;
    }

    public static void chmod(byte[] path, int mode) throws IOException {
        if (LIBC.chmod(cstr(path), mode) != 0) {
            throw error("chmod", path);
        }
    }

    /** A read-only file descriptor for {@link #lseek}; close it with {@link #close}. */
    public static int openReadOnly(byte[] path) throws IOException {
        int fd = LIBC.open(cstr(path), O_RDONLY | UnixCalls.O_CLOEXEC);
        if (fd < 0) {
            throw error("open", path);
        }
        return fd;
    }

    /** A write-only file descriptor for {@link #punchHole}; close it with {@link #close}. */
    public static int openWriteOnly(byte[] path) throws IOException {
        int fd = LIBC.open(cstr(path), O_WRONLY | UnixCalls.O_CLOEXEC);
        if (fd < 0) {
            throw error("open", path);
        }
        return fd;
    }

    /**
     * Deallocates [offset, offset + len) of a regular file, keeping its size: the range then reads as
     * zeros and takes no space. Returns false when the file system cannot punch holes, so the caller
     * writes zeros instead.
     */
    public static boolean punchHole(int fd, long offset, long len) throws IOException {
        if (LIBC.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, len) == 0) {
            return true;
        }
        int errno = RUNTIME.getLastError();
        if (errno == EOPNOTSUPP || errno == ENOSYS) {
            return false;
        }
        throw new IOException("fallocate: " + LIBC.strerror(errno));
    }

    /** ftruncate(2): sets a file's size; an extension reads as zeros and takes no space. */
    public static void truncate(int fd, long length) throws IOException {
        if (LIBC.ftruncate(fd, length) != 0) {
            throw new IOException("ftruncate: " + LIBC.strerror(RUNTIME.getLastError()));
        }
    }

    /**
     * lseek(2). Returns -1 for ENXIO, which SEEK_DATA and SEEK_HOLE give at or past the end of the data;
     * other failures (a file system without SEEK_DATA says EINVAL) raise an IOException.
     */
    public static long lseek(int fd, long offset, int whence) throws IOException {
        long r = LIBC.lseek(fd, offset, whence);
        if (r >= 0) {
            return r;
        }
        int errno = RUNTIME.getLastError();
        if (errno == ENXIO) {
            return -1;
        }
        throw new IOException("lseek: " + LIBC.strerror(errno));
    }

    /**
     * Asks the kernel to drop a file's pages from the page cache. Pages still dirty are not dropped, so
     * call it after an fsync. Only advice: any failure is ignored.
     */
    public static void dropFromPageCache(byte[] path) {
        adviseWholeFile(UnixCalls.AT_FDCWD, path, POSIX_FADV_DONTNEED);
    }

    /**
     * {@link #dropFromPageCache(byte[])} for [offset, offset + len) of an open file (len 0: to its end).
     * Dirty pages there are not dropped, but their writeback starts.
     */
    public static void dropFromPageCache(int fd, long offset, long len) {
        LIBC.posix_fadvise(fd, offset, len, POSIX_FADV_DONTNEED);
    }

    /**
     * Asks the kernel to start reading a whole file, {@code name} in the directory open as {@code dirFd}
     * (a whole path with {@link UnixCalls#AT_FDCWD}), into the page cache in the background, so a reader
     * that comes to it later finds it there. Only advice: any failure is ignored.
     */
    public static void willNeed(int dirFd, byte[] name) {
        adviseWholeFile(dirFd, name, POSIX_FADV_WILLNEED);
    }

    private static void adviseWholeFile(int dirFd, byte[] name, int advice) {
        // A FIFO or a symlink put in the file's place since it was listed must neither block nor be
        // followed; for a regular file O_NONBLOCK changes nothing.
        int fd = LIBC.openat(dirFd, cstr(name),
                O_RDONLY | UnixCalls.O_CLOEXEC | UnixCalls.O_NONBLOCK | UnixCalls.O_NOFOLLOW);
        if (fd >= 0) {
            LIBC.posix_fadvise(fd, 0, 0, advice);
            LIBC.close(fd);
        }
    }

    /**
     * The target of the symlink {@code name} in the directory open as {@code dirFd}, as raw bytes;
     * {@code p} is its path, for an error.
     */
    public static byte[] readlinkAt(int dirFd, byte[] name, java.nio.file.Path p) throws IOException {
        for (int size = 4096; ; size *= 2) {
            byte[] buf = new byte[size];
            long n = LIBC.readlinkat(dirFd, cstr(name), buf, size);
            if (n < 0) {
                int errno = RUNTIME.getLastError();
                throw new IOException("readlink " + Names.display(RawPaths.bytes(p)) + ": " + LIBC.strerror(errno));
            }
            if (n < size) {
                return java.util.Arrays.copyOf(buf, (int) n);
            }
            // A target as long as the buffer may have been cut short: try a larger one.
        }
    }

    /** link(2): 0, or the errno it failed with (EEXIST when {@code to} exists). */
    public static int link(byte[] from, byte[] to) {
        return LIBC.link(cstr(from), cstr(to)) == 0 ? 0 : RUNTIME.getLastError();
    }

    /**
     * renameat2(2) with RENAME_NOREPLACE: 0, or the errno it failed with (EEXIST when {@code to} exists,
     * EINVAL where the file system cannot promise it).
     */
    public static int renameNoReplace(byte[] from, byte[] to) {
        return LIBC.renameat2(AT_FDCWD, cstr(from), AT_FDCWD, cstr(to), RENAME_NOREPLACE) == 0 ? 0
                : RUNTIME.getLastError();
    }

    public static String strerror(int errno) {
        return LIBC.strerror(errno);
    }

    public static void close(int fd) {
        LIBC.close(fd);
    }

    private static IOException error(String call, byte[] path) {
        int errno = RUNTIME.getLastError();
        return new IOException(call + " " + Names.display(path) + ": " + LIBC.strerror(errno));
    }
}
