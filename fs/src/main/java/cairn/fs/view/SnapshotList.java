package cairn.fs.view;

import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Snapshot;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The repository's snapshots, re-read only when the catalog changed: a backup that commits while the
 * mount runs writes the catalog or its WAL, so two stat calls decide whether the list is still good.
 * File times are coarse (a clock tick), so while the files changed within the last seconds the list
 * is re-read every time rather than trusted. Thread-safe; the list itself is immutable.
 */
final class SnapshotList {
    private static final long SETTLE_MS = 2000;
    private final Repository repo;
    private final Path catalog;
    private final Path wal;
    private State state = new State(List.of(), "");

    private record State(List<Snapshot> all, String stamp) {
    }

    SnapshotList(Repository repo) {
        this.repo = repo;
        this.catalog = repo.layout().catalog();
        this.wal = catalog.resolveSibling(catalog.getFileName() + "-wal");
    }

    /** All snapshots, oldest first, as of the last catalog change. */
    synchronized List<Snapshot> current() throws CatalogException {
        long now = System.currentTimeMillis();
        long[] newest = {0};
        String stamp = stamp(catalog, newest) + "/" + stamp(wal, newest);
        if (!stamp.equals(state.stamp) || now - newest[0] < SETTLE_MS) {
            state = new State(List.copyOf(repo.catalogOfThread().snapshots().all()), stamp);
        }
        return state.all;
    }

    /** The newest complete snapshot, or null. */
    Snapshot latest() throws CatalogException {
        List<Snapshot> all = current();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).status() == Snapshot.Status.COMPLETE) {
                return all.get(i);
            }
        }
        return null;
    }

    Snapshot byName(String name) throws CatalogException {
        for (Snapshot s : current()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String stamp(Path p, long[] newest) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            newest[0] = Math.max(newest[0], a.lastModifiedTime().toMillis());
            return a.lastModifiedTime().toInstant() + ":" + a.size();
        } catch (java.io.IOException e) {
            return "-";
        }
    }
}
