package cairn.fs.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * The shapes of the libfuse 2 callbacks cairn implements. Unlike jnr-fuse's own, every path is a raw
 * {@link Pointer}: jnr would decode a {@code String} with the platform charset and a name that is not
 * valid UTF-8 would come back different. A path may be NULL where libfuse's nopath flag allows it.
 * Public only because jnr's generated closure classes, in another class loader, must reach them.
 */
public final class Callbacks {
    private Callbacks() {
    }

    /** getattr(path, struct stat *). */
    public interface PathStat {
        @Delegate
        int call(Pointer path, Pointer stat);
    }

    /** readlink(path, char *buf, size_t size). */
    public interface PathBuffer {
        @Delegate
        int call(Pointer path, Pointer buf, @size_t long size);
    }

    /** open, release, opendir, releasedir(path, struct fuse_file_info *). */
    public interface PathInfo {
        @Delegate
        int call(Pointer path, Pointer fi);
    }

    /** read(path, char *buf, size_t size, off_t offset, struct fuse_file_info *). */
    public interface Read {
        @Delegate
        int call(Pointer path, Pointer buf, @size_t long size, @off_t long offset, Pointer fi);
    }

    /** readdir(path, void *buf, fuse_fill_dir_t filler, off_t offset, struct fuse_file_info *). */
    public interface Readdir {
        @Delegate
        int call(Pointer path, Pointer buf, Pointer filler, @off_t long offset, Pointer fi);
    }

    /**
     * Every operation that would change something. The C caller passes more arguments than this
     * reads; on the C calling conventions libfuse runs on the caller owns them, so one shape serves
     * mknod, mkdir, unlink, rename, chmod, write, create and the rest.
     */
    public interface Refuse {
        @Delegate
        int call(Pointer path);
    }

    /** libfuse's filler: fill_dir(void *buf, const char *name, const struct stat *st, off_t next). */
    public interface FillDir {
        @Delegate
        int apply(Pointer buf, Pointer name, Pointer stat, @off_t long nextOffset);
    }
}
