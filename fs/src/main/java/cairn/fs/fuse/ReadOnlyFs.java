package cairn.fs.fuse;

import java.io.IOException;

/**
 * What {@link FuseAdapter} serves: a read-only tree addressed by raw path bytes ("/" is the root).
 * Implementations throw {@link FsException} for definite answers (ENOENT, ENOTDIR...) and any
 * {@link IOException} for failures, which become EIO; they must be safe to call from many threads.
 */
public interface ReadOnlyFs {
    Attr getattr(byte[] path) throws IOException, FsException;

    byte[] readlink(byte[] path) throws IOException, FsException;

    /** Opens a regular file for reading; returns a handle for {@link #read} and {@link #release}. */
    long open(byte[] path) throws IOException, FsException;

    /** Reads up to {@code len} bytes at {@code offset} into {@code dst}; returns how many, fewer only at end of file. */
    int read(long handle, long offset, int len, ReadBuffer dst) throws IOException, FsException;

    void release(long handle);

    long opendir(byte[] path) throws IOException, FsException;

    /** Lists from {@code offset} (0: the start; otherwise a {@code next} given to the sink earlier). */
    void readdir(long handle, long offset, DirSink sink) throws IOException, FsException;

    void releasedir(long handle);
}
