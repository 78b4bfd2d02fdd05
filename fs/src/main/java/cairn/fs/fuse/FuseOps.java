package cairn.fs.fuse;

import jnr.ffi.BaseStruct;
import jnr.ffi.Runtime;

/**
 * {@code struct fuse_operations} of libfuse 2.9, field for field. Unset members stay NULL and libfuse
 * answers ENOSYS for them; {@link FuseAdapter} fills the ones cairn serves. Public for jnr's generated
 * library class; nothing outside this package uses it.
 */
public final class FuseOps extends BaseStruct {
    /** flag_nullpath_ok and flag_nopath: read, release and readdir get no path, saving libfuse a path walk. */
    static final int FLAGS_NOPATH = 0b11;

    FuseOps(Runtime runtime) {
        super(runtime);
    }

    final Func<Callbacks.PathStat> getattr = func(Callbacks.PathStat.class);
    final Func<Callbacks.PathBuffer> readlink = func(Callbacks.PathBuffer.class);
    final Func<Callbacks.Refuse> getdir = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> mknod = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> mkdir = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> unlink = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> rmdir = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> symlink = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> rename = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> link = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> chmod = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> chown = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> truncate = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> utime = func(Callbacks.Refuse.class);
    final Func<Callbacks.PathInfo> open = func(Callbacks.PathInfo.class);
    final Func<Callbacks.Read> read = func(Callbacks.Read.class);
    final Func<Callbacks.Refuse> write = func(Callbacks.Refuse.class);
    final Func<Callbacks.PathStat> statfs = func(Callbacks.PathStat.class);
    final Func<Callbacks.PathInfo> flush = func(Callbacks.PathInfo.class);
    final Func<Callbacks.PathInfo> release = func(Callbacks.PathInfo.class);
    final Func<Callbacks.Refuse> fsync = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> setxattr = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> getxattr = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> listxattr = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> removexattr = func(Callbacks.Refuse.class);
    final Func<Callbacks.PathInfo> opendir = func(Callbacks.PathInfo.class);
    final Func<Callbacks.Readdir> readdir = func(Callbacks.Readdir.class);
    final Func<Callbacks.PathInfo> releasedir = func(Callbacks.PathInfo.class);
    final Func<Callbacks.Refuse> fsyncdir = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> init = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> destroy = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> access = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> create = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> ftruncate = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> fgetattr = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> lock = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> utimens = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> bmap = func(Callbacks.Refuse.class);
    /** The bit fields flag_nullpath_ok:1, flag_nopath:1, flag_utime_omit_ok:1, flag_reserved:29. */
    final Unsigned32 flags = new Unsigned32();
    final Func<Callbacks.Refuse> ioctl = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> poll = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> writeBuf = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> readBuf = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> flock = func(Callbacks.Refuse.class);
    final Func<Callbacks.Refuse> fallocate = func(Callbacks.Refuse.class);
}
