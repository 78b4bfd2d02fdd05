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
import java.security.MessageDigest;

/** Preparing a target directory for a repository, and making sure it is that repository's. */
final class TargetDirs {
    private TargetDirs() {
    }

    /** The marker on the target, or null when it has none. */
    static TargetMarker readMarker(TargetStore store) throws IOException {
        long size = store.size(TargetLayout.MARKER);
        if (size < 0) {
            return null;
        }
        byte[] b = new byte[(int) Math.min(size, 4096)];
        int n = store.read(TargetLayout.MARKER, 0, b, 0, b.length);
        TargetMarker m = TargetMarker.parse(java.util.Arrays.copyOf(b, n));
        if (m == null) {
            throw new TargetUnavailableException(store.describe() + " has a " + TargetLayout.MARKER
                    + " file that is not a cairn marker: not a cairn target");
        }
        return m;
    }

    /**
     * Makes {@code store} ready to receive this repository's files: refuses a directory that belongs
     * to another repository, writes the marker when missing, creates {@code segments/} and
     * {@code tmp/}, and empties {@code tmp/} of what interrupted pushes left (a repository has one
     * writer at a time, so nothing there is in use).
     */
    static void prepare(Repository repo, TargetTable.Row row, TargetStore store) throws IOException {
        TargetMarker m = readMarker(store);
        if (m != null && !m.repositoryId().equals(repo.id())) {
            throw new TargetUnavailableException("target " + row.name() + " (" + store.describe()
                    + ") holds repository " + m.repositoryId() + ", not this one (" + repo.id() + ")");
        }
        store.mkdirs(TargetLayout.SEGMENTS);
        store.mkdirs(TargetLayout.TMP);
        for (String leftover : store.list(TargetLayout.TMP)) {
            store.delete(TargetLayout.TMP + "/" + leftover);
        }
        if (m == null || !m.targetName().equals(row.name())) {
            placeBytes(repo, store, TargetLayout.MARKER,
                    new TargetMarker(Repository.FORMAT_VERSION, repo.id(), row.name()).bytes());
        }
    }

    /** Places a small file made of {@code bytes} by the same protocol as segments. */
    static void placeBytes(Repository repo, TargetStore store, String dst, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(repo.layout().tmpDir(), "target-", ".tmp");
        try {
            Files.write(tmp, bytes);
            MessageDigest md = SegmentChecksum.sha256();
            Placer.place(store, tmp, dst, bytes.length, md.digest(bytes));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
