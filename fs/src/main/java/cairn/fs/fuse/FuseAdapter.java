package cairn.fs.fuse;

import java.lang.ref.Reference;
import java.util.List;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.mapper.FromNativeConverter;
import jnr.ffi.provider.jffi.ClosureHelper;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Binds a {@link ReadOnlyFs} to libfuse 2. Every callback is resolve → hand to the fs → errno: nothing
 * ever throws into native code. {@link FsException} carries its errno; a chunk that cannot be read is
 * EIO (the fs has logged it with the file's name); anything else is logged here once and is EIO.
 * Every operation that would write answers EROFS (the mount is also {@code ro}, so the kernel usually
 * answers first).
 */
public final class FuseAdapter {
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;
    private static final int NAME_MAX = 255;

    private final ReadOnlyFs fs;
    private final Consumer<String> log;
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final FuseOps ops = new FuseOps(runtime);
    private final int statSize = Struct.size(new FileStat(runtime));
    private volatile FillerCache filler;

    public FuseAdapter(ReadOnlyFs fs, Consumer<String> log) {
        this.fs = fs;
        this.log = log;
        bind();
    }

    /**
     * Mounts at {@code mountPoint} with libfuse's {@code options} and serves on {@code threads} threads
     * until unmounted (blocking); returns 0 for a clean unmount, nonzero when libfuse could not mount or
     * reading from the kernel failed (libfuse has said why on stderr).
     */
    public int run(LibFuse2 lib, byte[] mountPoint, List<byte[]> options, int threads) {
        try {
            FuseLoop loop = FuseLoop.mount(lib, runtime, mountPoint, options, ops, Struct.size(ops));
            return loop == null ? 1 : loop.serve(threads, "cairn-fuse");
        } finally {
            Reference.reachabilityFence(ops);
        }
    }

    private void bind() {
        ops.getattr.set(this::getattr);
        ops.readlink.set(this::readlink);
        ops.open.set(this::open);
        ops.read.set(this::read);
        ops.release.set(this::release);
        ops.flush.set((path, fi) -> 0);
        ops.opendir.set(this::opendir);
        ops.readdir.set(this::readdir);
        ops.releasedir.set(this::releasedir);
        Callbacks.Refuse refuse = path -> -Errno.EROFS;
        for (var f : List.of(ops.mknod, ops.mkdir, ops.unlink, ops.rmdir, ops.symlink, ops.rename, ops.link,
                ops.chmod, ops.chown, ops.truncate, ops.utime, ops.write, ops.fsync, ops.setxattr, ops.removexattr,
                ops.fsyncdir, ops.create, ops.ftruncate, ops.utimens, ops.writeBuf, ops.fallocate)) {
            f.set(refuse);
        }
        ops.flags.set(FuseOps.FLAGS_NOPATH);
    }

    private int getattr(Pointer path, Pointer stat) {
        byte[] p = NativeBytes.read(path);
        try {
            writeStat(FileStat.of(stat), fs.getattr(p));
            return 0;
        } catch (Throwable t) {
            return -errno(t, "getattr", p);
        }
    }

    private int readlink(Pointer path, Pointer buf, long size) {
        byte[] p = NativeBytes.read(path);
        try {
            byte[] target = fs.readlink(p);
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        } catch (Throwable t) {
            return -errno(t, "readlink", p);
        }
    }

    private int open(Pointer path, Pointer fi) {
        byte[] p = NativeBytes.read(path);
        try {
            FuseFileInfo info = FuseFileInfo.of(fi);
            if ((info.flags.get() & O_ACCMODE) != O_RDONLY) {
                return -Errno.EROFS;
            }
            info.fh.set(fs.open(p));
            return 0;
        } catch (Throwable t) {
            return -errno(t, "open", p);
        }
    }

    private int read(Pointer path, Pointer buf, long size, long offset, Pointer fi) {
        long fh = 0;
        try {
            fh = FuseFileInfo.of(fi).fh.get();
            return fs.read(fh, offset, (int) size, new ReadBuffer() {
                @Override
                public void put(int at, byte[] src, int srcOff, int len) {
                    buf.put(at, src, srcOff, len);
                }

                @Override
                public void zero(int at, int len) {
                    buf.setMemory(at, len, (byte) 0);
                }
            });
        } catch (Throwable t) {
            return -errno(t, "read", ("handle " + fh).getBytes());
        }
    }

    private int release(Pointer path, Pointer fi) {
        try {
            fs.release(FuseFileInfo.of(fi).fh.get());
        } catch (Throwable t) {
            errno(t, "release", null);
        }
        return 0;
    }

    private int opendir(Pointer path, Pointer fi) {
        byte[] p = NativeBytes.read(path);
        try {
            FuseFileInfo.of(fi).fh.set(fs.opendir(p));
            return 0;
        } catch (Throwable t) {
            return -errno(t, "opendir", p);
        }
    }

    private int readdir(Pointer path, Pointer buf, Pointer fillerPtr, long offset, Pointer fi) {
        try {
            Callbacks.FillDir fill = filler(fillerPtr);
            // One scratch block per call: the name (NUL-terminated) and the stat libfuse reads ino and type from.
            Pointer scratch = Memory.allocateDirect(runtime, NAME_MAX + 1 + statSize, true);
            Pointer statPtr = scratch.slice(NAME_MAX + 1);
            FileStat st = FileStat.of(statPtr);
            fs.readdir(FuseFileInfo.of(fi).fh.get(), offset, (name, ino, mode, next) -> {
                int n = Math.min(name.length, NAME_MAX);
                scratch.put(0, name, 0, n);
                scratch.putByte(n, (byte) 0);
                st.st_ino.set(ino);
                st.st_mode.set(mode);
                return fill.apply(buf, scratch, statPtr, next) == 0;
            });
            return 0;
        } catch (Throwable t) {
            return -errno(t, "readdir", NativeBytes.read(path));
        }
    }

    private int releasedir(Pointer path, Pointer fi) {
        try {
            fs.releasedir(FuseFileInfo.of(fi).fh.get());
        } catch (Throwable t) {
            errno(t, "releasedir", null);
        }
        return 0;
    }

    /** libfuse passes the same filler function every time; convert it to a Java proxy once. */
    private Callbacks.FillDir filler(Pointer p) {
        FillerCache c = filler;
        if (c == null || c.address != p.address()) {
            ClosureHelper helper = ClosureHelper.getInstance();
            FromNativeConverter<Callbacks.FillDir, Pointer> conv = helper.getNativeConveter(Callbacks.FillDir.class);
            c = new FillerCache(p.address(), conv.fromNative(p, helper.getFromNativeContext()));
            filler = c;
        }
        return c.fill;
    }

    private record FillerCache(long address, Callbacks.FillDir fill) {
    }

    private static void writeStat(FileStat st, Attr a) {
        st.st_ino.set(a.ino());
        st.st_mode.set(a.mode());
        st.st_nlink.set(a.nlink());
        st.st_uid.set(a.uid());
        st.st_gid.set(a.gid());
        st.st_rdev.set(a.rdev());
        st.st_size.set(a.size());
        st.st_blksize.set(128 << 10);
        st.st_blocks.set((a.allocated() + 511) / 512);
        setTime(st.st_atim, a.mtimeNs());
        setTime(st.st_mtim, a.mtimeNs());
        setTime(st.st_ctim, a.ctimeNs());
    }

    private static void setTime(ru.serce.jnrfuse.struct.Timespec ts, long ns) {
        ts.tv_sec.set(Math.floorDiv(ns, 1_000_000_000L));
        ts.tv_nsec.set(Math.floorMod(ns, 1_000_000_000L));
    }

    /** The errno for a failure: by type, never by message. Unexpected ones are logged. */
    private int errno(Throwable t, String op, byte[] path) {
        if (t instanceof FsException f) {
            return f.errno();
        }
        if (t instanceof cairn.store.repo.ChunkReader.ChunkUnavailableException) {
            return Errno.EIO; // the fs logged it, naming the file and the segment
        }
        Throwable cause = t instanceof java.io.UncheckedIOException u ? u.getCause() : t;
        try {
            log.accept("cairn: " + op + " " + (path == null ? "" : cairn.store.fsutil.Names.display(path))
                    + " failed: " + (cause instanceof java.io.IOException ? cause.getMessage() : cause.toString()));
        } catch (Throwable ignored) {
            // Logging must not be the thing that throws into native code.
        }
        return Errno.EIO;
    }
}
