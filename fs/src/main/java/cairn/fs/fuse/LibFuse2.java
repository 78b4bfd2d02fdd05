package cairn.fs.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/** The one libfuse 2 entry point cairn calls: mount, serve on worker threads until unmounted, clean up. */
public interface LibFuse2 {
    int fuse_main_real(int argc, Pointer argv, FuseOps ops, @size_t long opSize, Pointer userData);

    /** Loads libfuse 2; throws {@link FuseUnavailableException} saying what to install when it is missing. */
    static LibFuse2 load() {
        Throwable first = null;
        for (String name : new String[] {"libfuse.so.2", "fuse"}) {
            try {
                return LibraryLoader.create(LibFuse2.class).failImmediately().load(name);
            } catch (LinkageError | RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new FuseUnavailableException("libfuse 2 is not installed (" + first.getMessage()
                + "): install the packages fuse3 and libfuse2, e.g. apt install fuse3 libfuse2");
    }
}
