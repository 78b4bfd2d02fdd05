package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.SegmentTable;
import cairn.store.catalog.TargetTable;
import cairn.store.fsutil.AtomicFiles;
import cairn.store.repo.Repository;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops local copies of segments that have enough verified copies elsewhere, oldest segments first,
 * until the local ones fit in {@code keepLocal} bytes. Each copy counted is checked again just
 * before the local file goes (size, and SHA-256 computed where it lies): a copy deleted or damaged
 * since its push does not count, and its placement is forgotten so the next push replaces it. The
 * caller holds the writer lock.
 */
public final class Evictor {
    private final Repository repo;
    private final Catalog catalog;
    private final Map<Long, TargetStore> stores = new HashMap<>();
    private final Map<Long, String> unreachable = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    public record Result(int dropped, long droppedBytes, int keptLocal, long keptBytes, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Evictor(Repository repo) {
        this.repo = repo;
        this.catalog = repo.catalog();
    }

    public Result run(long keepLocal) throws IOException {
        try {
            List<TargetTable.Row> targets = catalog.targets().all();
            int required = PlacementPolicy.read(catalog).required(targets.size());
            Map<Long, TargetTable.Row> byId = new HashMap<>();
            for (TargetTable.Row t : targets) {
                byId.put(t.id(), t);
                store(t); // every target is asked, so one that is down is reported even with nothing to drop
            }
            Map<Long, List<PlacementTable.Placement>> copies = new HashMap<>();
            for (PlacementTable.Placement p : catalog.placements().all()) {
                copies.computeIfAbsent(p.segment(), k -> new ArrayList<>()).add(p);
            }
            List<SegmentTable.Segment> local = new ArrayList<>();
            long localBytes = 0;
            for (SegmentTable.Segment s : catalog.segments().all()) {
                Path f = repo.layout().segment(s.name());
                if (Files.isRegularFile(f)) {
                    local.add(s);
                    localBytes += Files.size(f);
                }
            }
            int dropped = 0;
            long droppedBytes = 0;
            // Oldest first (segment ids grow with time): recent data is the likeliest to be read.
            for (SegmentTable.Segment s : local) {
                if (localBytes <= keepLocal || required == 0) {
                    break;
                }
                List<PlacementTable.Placement> have = copies.getOrDefault(s.id(), List.of());
                if (have.size() < required) {
                    continue;
                }
                int verified = 0;
                for (PlacementTable.Placement p : have) {
                    if (verify(byId.get(p.target()), s, p)) {
                        verified++;
                    }
                }
                if (verified < required) {
                    continue;
                }
                Path f = repo.layout().segment(s.name());
                long size = Files.size(f);
                Files.delete(f);
                AtomicFiles.fsyncDirectory(f.getParent());
                dropped++;
                droppedBytes += size;
                localBytes -= size;
            }
            return new Result(dropped, droppedBytes, local.size() - dropped, localBytes, List.copyOf(problems));
        } finally {
            stores.values().forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Only reads went through it.
                }
            });
        }
    }

    private boolean verify(TargetTable.Row row, SegmentTable.Segment s, PlacementTable.Placement p) throws IOException {
        TargetStore store = store(row);
        if (store == null) {
            return false;
        }
        String path = TargetLayout.segment(s.name());
        try {
            if (store.size(path) == p.bytes() && Arrays.equals(store.sha256(path), p.sha256())) {
                return true;
            }
        } catch (IOException e) {
            unreachable(row, e);
            return false;
        }
        problems.add("target " + row.name() + ": copy of segment " + s.name()
                + " is missing or damaged; forgotten, the next push places it again");
        synchronized (catalog) {
            catalog.placements().forget(s.id(), row.id());
        }
        return false;
    }

    private TargetStore store(TargetTable.Row row) {
        if (unreachable.containsKey(row.id())) {
            return null;
        }
        TargetStore s = stores.get(row.id());
        if (s == null) {
            try {
                s = TargetAdmin.openVerified(repo, row);
                stores.put(row.id(), s);
            } catch (IOException e) {
                unreachable(row, e);
                return null;
            }
        }
        return s;
    }

    private void unreachable(TargetTable.Row row, IOException e) {
        if (unreachable.put(row.id(), Messages.of(e)) == null) {
            problems.add("target " + row.name() + ": " + Messages.of(e) + " (its copies were not counted)");
        }
    }
}
