package cairn.store.restore;

import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The permission bits and owner of a file that a restore replaces through a rename, to give the new
 * file: a private image (mode 600, a service's user) must not come back world-readable and root's.
 */
record ModeAndOwner(int uid, int gid, int mode) {
    private static final int PERMISSION_BITS = 07777;
    private static final int SET_UID = 04000;
    private static final int SET_GID = 02000;
    private static final int GROUP_BITS = 0070;
    private static final int KEEP = -1;

    /** Those of {@code target}, or empty when there is no regular file there to replace. */
    static Optional<ModeAndOwner> of(Path target) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new ModeAndOwner(attribute(target, "uid"), attribute(target, "gid"),
                attribute(target, "mode") & PERMISSION_BITS));
    }

    /**
     * Gives them to {@code file}, the owner and group as far as this user may (root: both; anyone: a
     * group of theirs). Bits that would mean something else on a file owned otherwise are dropped: set-id
     * bits, and the group's permissions when the group is not the one they were given to.
     */
    void applyTo(Path file) throws IOException {
        byte[] raw = RawPaths.bytes(file);
        try {
            Posix.lchown(raw, uid, gid);
        } catch (IOException notAllowed) {
            try {
                Posix.lchown(raw, KEEP, gid);
            } catch (IOException notAMember) {
                // The file stays this user's and their group's; the bits below are adjusted to that.
            }
        }
        int kept = mode;
        if (attribute(file, "uid") != uid) {
            kept &= ~SET_UID;
        }
        if (attribute(file, "gid") != gid) {
            kept &= ~(SET_GID | GROUP_BITS);
        }
        // After the chown, which clears set-id bits.
        Posix.chmod(raw, kept);
    }

    private static int attribute(Path p, String name) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }
}
