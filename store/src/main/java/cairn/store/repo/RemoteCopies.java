package cairn.store.repo;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.TargetTable;
import cairn.store.targets.BlockCache;
import cairn.store.targets.RemoteSegment;
import cairn.store.targets.TargetUri;
import cairn.store.targets.Targets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The copies of a segment on targets, for reads that the local file cannot serve: those on local
 * directories first, then those on SSH hosts, each kind in the catalog's order (the order the targets
 * were added in). Connections and the block cache are made on first use, so a repository without
 * targets pays nothing. Thread-safe.
 */
final class RemoteCopies implements AutoCloseable {
    private final RepoLayout layout;
    private final Supplier<Catalog> catalogOfThread;
    private final Targets targets = new Targets();
    private volatile Map<Long, TargetTable.Row> rows;
    private BlockCache cache;

    /** One target's copy of a segment. */
    record Copy(String targetName, RemoteSegment segment) {
    }

    RemoteCopies(RepoLayout layout, Supplier<Catalog> catalogOfThread) {
        this.layout = layout;
        this.catalogOfThread = catalogOfThread;
    }

    /**
     * The targets said to hold a verified copy, with the name of each (for messages) and a reader, in
     * the order to read them: local directories before SSH hosts, whatever order they were added in. A
     * local disk is read faster than a host over the network, and cannot freeze on it: a host that stops
     * answering is only noticed after a while, a wait that a reader with a local copy at hand need never
     * make.
     */
    List<Holder> holders(String segmentName) throws IOException {
        List<PlacementTable.Holder> found = catalogOfThread.get().placements().holders(segmentName);
        List<Holder> local = new ArrayList<>();
        List<Holder> remote = new ArrayList<>();
        for (PlacementTable.Holder h : found) {
            TargetTable.Row row = row(h.target());
            if (row != null) {
                (isLocal(row) ? local : remote).add(new Holder(row, h.bytes()));
            }
        }
        local.addAll(remote);
        return local;
    }

    private static boolean isLocal(TargetTable.Row row) {
        return TargetUri.Kind.LOCAL.text().equals(row.kind());
    }

    record Holder(TargetTable.Row row, long bytes) {
    }

    /** Connects to the holder's target (or fails with why it cannot be reached). */
    Copy open(Holder h, String segmentName) throws IOException {
        return new Copy(h.row().name(), new RemoteSegment(targets.store(h.row()), h.row().id(), segmentName,
                h.bytes(), cache()));
    }

    private TargetTable.Row row(long id) throws IOException {
        Map<Long, TargetTable.Row> m = rows;
        if (m == null || !m.containsKey(id)) {
            m = new HashMap<>();
            for (TargetTable.Row r : catalogOfThread.get().targets().all()) {
                m.put(r.id(), r);
            }
            rows = m;
        }
        return m.get(id);
    }

    private synchronized BlockCache cache() {
        if (cache == null) {
            cache = new BlockCache(layout.cache(), BlockCache.DEFAULT_MAX_BYTES);
        }
        return cache;
    }

    @Override
    public synchronized void close() {
        targets.close();
        if (cache != null) {
            cache.close();
        }
    }
}
