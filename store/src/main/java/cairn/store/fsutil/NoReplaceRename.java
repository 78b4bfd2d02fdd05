package cairn.store.fsutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a file a new name only when no file has that name, atomically: of two processes racing for
 * one name, exactly one gets it and the other is told the name is taken. rename(2) would replace
 * silently. A hard link fails with EEXIST when the name exists, on every local file system with
 * links and on NFS, where the server decides (renameat2's RENAME_NOREPLACE is refused there); the
 * old name is dropped once the link is made. File systems without hard links (FAT and exFAT, as USB
 * drives come) have renameat2 with RENAME_NOREPLACE instead.
 */
public final class NoReplaceRename {
    private static final int EPERM = 1;
    private static final int EEXIST = 17;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    private NoReplaceRename() {
    }

    /** Renames {@code from} to {@code to}; false, leaving {@code from} as it was, when {@code to} exists. */
    public static boolean rename(Path from, Path to) throws IOException {
        int errno = Posix.link(RawPaths.bytes(from), RawPaths.bytes(to));
        if (errno == 0) {
            Files.delete(from);
            return true;
        }
        // FAT's answer to link(2) is EPERM; others say EOPNOTSUPP.
        if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS) {
            return renameWithoutLink(from, to);
        }
        return taken(errno, from, to);
    }

    /** The way for file systems without hard links. */
    static boolean renameWithoutLink(Path from, Path to) throws IOException {
        int errno = Posix.renameNoReplace(RawPaths.bytes(from), RawPaths.bytes(to));
        return errno == 0 || taken(errno, from, to);
    }

    /** False for EEXIST; any other errno is an error. */
    private static boolean taken(int errno, Path from, Path to) throws IOException {
        if (errno == EEXIST) {
            return false;
        }
        throw new IOException("cannot rename " + Names.display(RawPaths.bytes(from)) + " to "
                + Names.display(RawPaths.bytes(to)) + " without replacing it: " + Posix.strerror(errno));
    }
}
