package cairn.store.targets;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory somewhere that holds files for cairn: the few operations the placement protocol and
 * the readers need, and nothing more. Paths are relative to the target's root, with '/' between
 * names. Implementations are safe for use from many threads at once.
 *
 * <p>Failures to reach the target at all (host down, authentication refused, host key unknown) are
 * {@link TargetUnavailableException}; any other {@link IOException} concerns the one operation.
 */
public interface TargetStore extends Closeable {
    /** Where this is, for messages. */
    String describe();

    /** Size in bytes of the regular file at {@code path}, or -1 when there is none. */
    long size(String path) throws IOException;

    /**
     * Writes the whole local file to {@code path}, creating or truncating it, and makes its bytes
     * durable (fsync where the target can). The file is complete only when this returns; callers
     * write to a temporary name and {@link #rename} afterwards.
     */
    void upload(Path local, String path) throws IOException;

    /** SHA-256 of the file at {@code path}, computed from the bytes as they lie on the target. */
    byte[] sha256(String path) throws IOException;

    /**
     * Renames atomically, replacing {@code to} if it exists, and makes the rename durable where the
     * target can (fsync of the directory).
     */
    void rename(String from, String to) throws IOException;

    /**
     * Renames atomically only when no file is called {@code to}, and makes the rename durable as
     * {@link #rename} does. Of two callers racing for one name, exactly one gets it. Returns false,
     * leaving {@code from} where it was, when {@code to} exists. Taking a directory (its marker) needs
     * this: {@link #rename} would let the last of two repositories win without telling the first.
     */
    boolean renameNoReplace(String from, String to) throws IOException;

    /**
     * The last step of placing a file: renames {@code tmp} to {@code dst} as {@link #rename} does, if
     * and only if the SHA-256 of {@code tmp} computed where it lies equals {@code sha256}. Returns the
     * checksum found; when it differs, nothing was renamed. One call, so a remote target can do it
     * in one round trip.
     */
    default byte[] renameIfChecksum(String tmp, String dst, byte[] sha256) throws IOException {
        byte[] found = sha256(tmp);
        if (java.util.Arrays.equals(found, sha256)) {
            rename(tmp, dst);
        }
        return found;
    }

    /** Deletes the file at {@code path}; a missing file is not an error. */
    void delete(String path) throws IOException;

    /** Names of the entries in directory {@code dir}; empty when it does not exist. */
    List<String> list(String dir) throws IOException;

    /** Creates {@code dir} and its parents as needed. */
    void mkdirs(String dir) throws IOException;

    /**
     * Reads up to {@code len} bytes at {@code offset} of the file at {@code path} into {@code dst};
     * returns how many were read, fewer than {@code len} only at the end of the file.
     */
    int read(String path, long offset, byte[] dst, int dstOff, int len) throws IOException;

    /**
     * {@link #read(String, long, byte[], int, int)}, calling {@code progress} whenever the target is heard
     * from meanwhile, so another thread waiting for these bytes can tell a read that is getting somewhere
     * from one that is stuck. A store with a {@link #silenceBoundMs() bound} calls it at least that often
     * or fails the read.
     */
    default int read(String path, long offset, byte[] dst, int dstOff, int len, Runnable progress) throws IOException {
        int n = read(path, offset, dst, dstOff, len);
        progress.run();
        return n;
    }

    /**
     * How long a read goes at most without {@code progress} before it fails by itself (the target having
     * stopped answering), or 0 when reads have no such bound (a local disk: a read of it that hangs would
     * hang for whoever made it).
     */
    default long silenceBoundMs() {
        return 0;
    }

    /** Copies the file at {@code path} to the local file {@code dst} (created or truncated). */
    void download(String path, Path dst) throws IOException;

    /**
     * What identifies the file or directory at {@code path} ("" for the target's root) among all of
     * this machine's (device and inode), to compare with another store's; null when there is none to
     * give (a remote host: SFTP version 3 has no inode numbers) or no such file.
     */
    default Object fileKey(String path) throws IOException {
        return null;
    }

    /** Bytes free for this user on the target's file system, or -1 when the target cannot tell. */
    long freeBytes() throws IOException;
}
