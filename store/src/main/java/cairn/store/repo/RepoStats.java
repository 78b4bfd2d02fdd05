package cairn.store.repo;

import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Snapshot;

/** Totals of what a repository holds. */
public record RepoStats(long snapshots, long snapshotBytes, long segments, long segmentBytes, long chunks,
                        long chunkRawBytes, long contents, long listings, long entries) {

    public static RepoStats of(Repository repo) throws CatalogException {
        var c = repo.catalog();
        long snaps = 0;
        long bytes = 0;
        for (Snapshot s : c.snapshots().all()) {
            snaps++;
            bytes += s.bytes();
        }
        return new RepoStats(snaps, bytes, c.count("segments"), c.sum("segments", "bytes"), c.count("chunks"),
                c.sum("chunks", "raw_len"), c.count("contents"), c.count("dirs"), c.count("entries"));
    }
}
