package cairn.fs.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/**
 * The libfuse 2 calls cairn makes: set up (mount and create the high-level file system), the session
 * calls a request loop is made of, and tear down. cairn runs that loop on its own Java threads (see {@link FuseLoop}) rather
 * than through {@code fuse_main}, whose worker threads are native: every callback on one of those
 * attaches a new Java thread and detaches it again.
 */
public interface LibFuse2 {
    /**
     * Parses {@code argv} (options, {@code -f}, the mount point), mounts and creates the file system.
     * Used instead of {@code fuse_mount} + {@code fuse_new} because an unversioned lookup of
     * {@code fuse_new} finds its 2.2-era compatibility symbol, not the 2.6 one.
     */
    Pointer fuse_setup(int argc, Pointer argv, FuseOps ops, @size_t long opSize, Pointer mountPointOut,
                       Pointer multithreadedOut, Pointer userData);

    /** Unmounts (if still mounted), destroys the file system and frees the mount point string. */
    void fuse_teardown(Pointer fuse, Pointer mountPoint);

    Pointer fuse_get_session(Pointer fuse);

    Pointer fuse_session_next_chan(Pointer session, Pointer chan);

    @size_t long fuse_chan_bufsize(Pointer chan);

    /** Reads one request into {@code buf}; 0 at the end of the session, -errno on failure. */
    int fuse_session_receive_buf(Pointer session, Pointer buf, Pointer chanInOut);

    void fuse_session_process_buf(Pointer session, Pointer buf, Pointer chan);

    int fuse_session_exited(Pointer session);

    void fuse_session_exit(Pointer session);

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
