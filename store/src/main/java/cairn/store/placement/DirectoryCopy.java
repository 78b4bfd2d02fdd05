package cairn.store.placement;

import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import cairn.store.targets.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A directory being added that holds the marker of another target of this repository is either that
 * target's own directory under a second path (a symlink, a bind mount, the host under another name),
 * which must be refused since one directory would count as two copies, or a copy of it ({@code cp -a},
 * rsync), which is a good second target: its copies are taken back once each one's SHA-256 checks
 * out. Only the original directory tells the two apart, so it must be reachable and still marked as
 * that target.
 */
final class DirectoryCopy {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DirectoryCopy() {
    }

    /**
     * Returns when {@code candidate} is a copy of the directory of {@code original}, whose marker it
     * holds; throws, with what was found, when it is that directory, or when that cannot be told.
     */
    static void requireCopy(Repository repo, TargetStore candidate, TargetTable.Row original) throws IOException {
        String what = candidate.describe() + " holds the marker of target " + original.name() + " of this repository";
        try (TargetStore there = open(original, what)) {
            try {
                TargetDirs.verify(repo, original, there);
            } catch (IOException e) {
                throw new IOException(what + ", and " + original.name() + "'s own directory " + original.uri()
                        + " is not marked as " + original.name() + " any more: is this that directory, moved or"
                        + " mounted elsewhere? One directory cannot be two targets", e);
            }
            if (sameDirectory(repo, candidate, there)) {
                throw new IOException(candidate.describe() + " is the directory of target " + original.name() + " ("
                        + original.uri() + ") under another path: one directory cannot be two targets");
            }
            Object marker = candidate.fileKey(TargetLayout.MARKER);
            if (marker != null && marker.equals(there.fileKey(TargetLayout.MARKER))) {
                throw new IOException(candidate.describe() + " is a hard-linked copy of the directory of target "
                        + original.name() + ": its files are that target's own, not a second copy of them");
            }
        }
    }

    private static TargetStore open(TargetTable.Row original, String what) throws IOException {
        try {
            return Targets.open(original);
        } catch (IOException e) {
            throw new IOException(what + "; only " + original.name() + " can tell whether this is its directory"
                    + " under another path or a copy of it, and it cannot be reached: " + Messages.of(e), e);
        }
    }

    /**
     * Local directories are the same when their device and inode are. Otherwise a file with a random
     * name is put in the original's {@code tmp/} (emptied by every push) and looked for in the
     * candidate's: nothing else tells an SFTP host's directory from a local path or another host name
     * that leads to the same place.
     */
    private static boolean sameDirectory(Repository repo, TargetStore candidate, TargetStore original) throws IOException {
        Object a = candidate.fileKey("");
        Object b = original.fileKey("");
        if (a != null && b != null) {
            return a.equals(b);
        }
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        String probe = TargetLayout.tmpFor("cairn-probe", HexFormat.of().formatHex(nonce));
        Path local = Files.createTempFile(repo.layout().tmpDir(), "probe-", ".tmp");
        try {
            original.mkdirs(TargetLayout.TMP);
            original.upload(local, probe);
            return candidate.size(probe) >= 0;
        } finally {
            Files.deleteIfExists(local);
            original.delete(probe);
        }
    }
}
