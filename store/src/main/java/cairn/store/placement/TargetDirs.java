package cairn.store.placement;

import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import cairn.store.segment.SegmentChecksum;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetMarker;
import cairn.store.targets.TargetStore;
import cairn.store.targets.TargetUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Preparing a target directory for a repository, and making sure it is that repository's. */
final class TargetDirs {
    private TargetDirs() {
    }

    /** The marker on the target, or null when it has none. */
    static TargetMarker readMarker(TargetStore store) throws IOException {
        byte[] b = readSmallFile(store, TargetLayout.MARKER);
        if (b == null) {
            return null;
        }
        TargetMarker m = TargetMarker.parse(b);
        if (m == null) {
            throw new TargetUnavailableException(store.describe() + " has a " + TargetLayout.MARKER
                    + " file that is not a cairn marker: not a cairn target");
        }
        return m;
    }

    /** The first 4 KiB of a small file on the target (a marker, a head), or null when there is none. */
    static byte[] readSmallFile(TargetStore store, String path) throws IOException {
        long size = store.size(path);
        if (size < 0) {
            return null;
        }
        byte[] b = new byte[(int) Math.min(size, 4096)];
        int n = store.read(path, 0, b, 0, b.length);
        return java.util.Arrays.copyOf(b, n);
    }

    /**
     * Makes {@code store} ready to receive this repository's files. {@code adding}: the target is being
     * added now, so a directory without a marker is taken only when cairn may own it (empty); later a
     * missing marker means the directory is not the one that was added (a disk not mounted, a directory
     * emptied), and nothing is written to it. A directory marked for another repository, or another
     * target's directory of this one under a second path, is refused; a copy of another target's
     * directory is taken (see {@link DirectoryCopy}). Then {@code segments/}
     * and {@code tmp/} are created and {@code tmp/} emptied of what interrupted pushes left (a repository
     * has one writer at a time, so nothing there is in use).
     */
    static void prepare(Repository repo, TargetTable.Row row, TargetStore store, boolean adding) throws IOException {
        TargetMarker m = adding ? checkNew(repo, row, store) : verify(repo, row, store);
        TargetMarker mine = new TargetMarker(Repository.FORMAT_VERSION, repo.id(), row.name());
        store.mkdirs(TargetLayout.TMP);
        if (m == null) {
            // Before tmp/ is emptied: until the marker is ours, tmp/ may hold the marker upload of
            // another repository adding this directory at the same moment.
            take(repo, store, mine);
        }
        for (String leftover : store.list(TargetLayout.TMP)) {
            store.delete(TargetLayout.TMP + "/" + leftover);
        }
        if (m != null && !m.targetName().equals(row.name())) {
            placeBytes(repo, store, TargetLayout.MARKER, mine.bytes());
        }
        store.mkdirs(TargetLayout.SEGMENTS);
    }

    /**
     * Places the marker of an unmarked directory without replacing one: two repositories (or two
     * processes) that both found it empty cannot both take it. The one that comes second finds the
     * other's marker and is refused as if it had come after it; one whose upload the winner's emptying
     * of {@code tmp/} cut short is too. A marker that is exactly {@code mine} is accepted.
     */
    private static void take(Repository repo, TargetStore store, TargetMarker mine) throws IOException {
        boolean placed;
        try {
            placed = placeNewBytes(repo, store, TargetLayout.MARKER, mine.bytes());
        } catch (IOException e) {
            if (readMarker(store) == null) {
                throw e;
            }
            placed = false;
        }
        if (placed) {
            return;
        }
        TargetMarker there = readMarker(store);
        if (there == null) {
            throw new IOException(store.describe() + " changed while it was being added (its "
                    + TargetLayout.MARKER + " came and went): try again");
        }
        if (!there.repositoryId().equals(repo.id())) {
            throw otherRepository(store, there, repo);
        }
        if (!there.equals(mine)) {
            throw new IOException(store.describe() + " was taken as target " + there.targetName()
                    + " by another copy of this repository at the same moment: one directory cannot be two targets");
        }
    }

    private static TargetUnavailableException otherRepository(TargetStore store, TargetMarker m, Repository repo) {
        return new TargetUnavailableException(store.describe() + " holds repository " + m.repositoryId()
                + ", not this one (" + repo.id() + ")");
    }

    /**
     * The marker of a directory being added as {@code row} (already in the catalog), or null when it has
     * none and is empty: refuses one that holds other files, another repository's target, or another
     * target's directory of this repository under a second path. A copy of another target's directory,
     * and a directory whose marker names a target since removed, are taken (their copies are checked
     * before they count).
     */
    private static TargetMarker checkNew(Repository repo, TargetTable.Row row, TargetStore store) throws IOException {
        TargetMarker m = readMarker(store);
        if (m == null && !unused(store)) {
            throw new IOException(store.describe() + " is not empty and holds no cairn target: give an empty directory");
        }
        if (m != null && !m.repositoryId().equals(repo.id())) {
            throw otherRepository(store, m, repo);
        }
        TargetTable.Row original = m == null || m.targetName().equals(row.name()) ? null
                : repo.catalog().targets().byName(m.targetName());
        if (original != null) {
            DirectoryCopy.requireCopy(repo, store, original);
        }
        return m;
    }

    /**
     * Checks that a registered target's directory is still the one that was added: its marker names this
     * repository and this target. Anything else (no marker: a disk not mounted, leaving its empty mount
     * point, or a directory emptied; another target's marker: disks swapped) makes the target
     * unavailable, so nothing is written there and none of its copies is counted or forgotten.
     */
    static TargetMarker verify(Repository repo, TargetTable.Row row, TargetStore store) throws IOException {
        TargetMarker m = readMarker(store);
        String where = "target " + row.name() + " (" + store.describe() + ")";
        if (m == null) {
            throw new TargetUnavailableException(where + " has no " + TargetLayout.MARKER + " any more: is the disk"
                    + " mounted? (nothing was written to it)");
        }
        if (!m.repositoryId().equals(repo.id())) {
            throw new TargetUnavailableException(where + " holds repository " + m.repositoryId() + ", not this one ("
                    + repo.id() + ")");
        }
        if (!m.targetName().equals(row.name())) {
            throw new TargetUnavailableException(where + " holds target " + m.targetName() + "'s copies, not "
                    + row.name() + "'s: were two disks swapped? (nothing was written to it)");
        }
        return m;
    }

    /**
     * Whether a directory without a marker is one cairn may take: empty, or as an add left it that
     * failed before its marker was in place (empty {@code segments/}, the marker's upload in {@code tmp/}).
     */
    private static boolean unused(TargetStore store) throws IOException {
        for (String entry : store.list("")) {
            boolean ok = switch (entry) {
                case TargetLayout.SEGMENTS -> store.list(TargetLayout.SEGMENTS).isEmpty();
                case TargetLayout.TMP -> store.list(TargetLayout.TMP).stream()
                        .allMatch(t -> t.startsWith(TargetLayout.MARKER + ".") && t.endsWith(".tmp"));
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Places a small file made of {@code bytes} by the same protocol as segments. */
    static void placeBytes(Repository repo, TargetStore store, String dst, byte[] bytes) throws IOException {
        withLocalCopy(repo, bytes, tmp -> Placer.place(store, tmp, dst, bytes.length, SegmentChecksum.sha256().digest(bytes)));
    }

    /** {@link #placeBytes} under a name that must be free (see {@link Placer#placeNew}); false when it is not. */
    static boolean placeNewBytes(Repository repo, TargetStore store, String dst, byte[] bytes) throws IOException {
        return withLocalCopy(repo, bytes,
                tmp -> Placer.placeNew(store, tmp, dst, bytes.length, SegmentChecksum.sha256().digest(bytes)));
    }

    private interface LocalFileUse {
        boolean apply(Path file) throws IOException;
    }

    /** Runs {@code use} on a local temporary file holding {@code bytes}, removed afterwards. */
    private static boolean withLocalCopy(Repository repo, byte[] bytes, LocalFileUse use) throws IOException {
        Path tmp = Files.createTempFile(repo.layout().tmpDir(), "target-", ".tmp");
        try {
            Files.write(tmp, bytes);
            return use.apply(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
