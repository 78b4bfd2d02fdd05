package cairn.store.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** Turns what a user typed ({@code latest}, an id, or an unambiguous id prefix) into a snapshot. */
public final class SnapshotResolver {
    private SnapshotResolver() {
    }

    public static Snapshot resolve(Catalog catalog, String spec) throws CatalogException {
        if (spec == null || spec.isEmpty()) {
            throw new UnknownSnapshotException("no snapshot given");
        }
        if (spec.equals("latest")) {
            List<Snapshot> all = catalog.snapshots().all();
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).status() == Snapshot.Status.COMPLETE) {
                    return all.get(i);
                }
            }
            if (!all.isEmpty()) {
                return all.get(all.size() - 1);
            }
            throw new UnknownSnapshotException("the repository has no snapshots yet");
        }
        List<Snapshot> hits = catalog.snapshots().byPrefix(spec);
        if (hits.isEmpty()) {
            throw new UnknownSnapshotException("no snapshot " + spec + " in this repository (see: cairn snapshots)");
        }
        if (hits.size() > 1) {
            throw new UnknownSnapshotException("snapshot id " + spec + " is ambiguous: "
                    + hits.stream().map(Snapshot::name).collect(Collectors.joining(", ")));
        }
        return hits.get(0);
    }

    /** The snapshot named does not exist or the name is ambiguous. */
    public static final class UnknownSnapshotException extends CatalogException {
        public UnknownSnapshotException(String message) {
            super(message);
        }
    }
}
