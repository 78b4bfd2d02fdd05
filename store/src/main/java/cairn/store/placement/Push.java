package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.SegmentTable;
import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import cairn.store.segment.SegmentChecksum;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import cairn.store.targets.TargetUnavailableException;
import cairn.store.targets.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Places every segment that lacks copies on its targets, in parallel, then gives each target that
 * took part a fresh copy of the catalog. Resumable and idempotent: what is placed is recorded as it
 * completes, what is not is planned again next time, and a copy already in place is recognized by
 * its checksum instead of being sent again. The caller holds the writer lock.
 */
public final class Push {
    private final Repository repo;
    private final Catalog catalog;
    private final Consumer<String> progress;
    private final Map<Long, TargetStore> stores = new LinkedHashMap<>();
    private final Map<Long, TargetTable.Row> rows = new LinkedHashMap<>();
    private final Map<Long, String> down = new ConcurrentHashMap<>();
    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger placed = new AtomicInteger();
    private final AtomicInteger found = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final Set<Long> segmentsSent = ConcurrentHashMap.newKeySet();
    private final Set<Long> targetsSentTo = ConcurrentHashMap.newKeySet();
    /**
     * Target → segments left for later because an upload to it failed while others ran (see
     * {@link #placeOneByOne}); no new upload starts there meanwhile.
     */
    private final Map<Long, Set<Long>> leftOver = new ConcurrentHashMap<>();

    /**
     * What a push did: {@code placed} copies sent (of {@code segments} distinct segments, to
     * {@code targetsSentTo} of the {@code targets}); {@link #ok()} is false when a target could not be
     * reached or a copy failed.
     */
    public record Result(int targets, int placed, int segments, int targetsSentTo, int alreadyThere, long bytes,
                         List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Push(Repository repo, Consumer<String> progress) {
        this.repo = repo;
        this.catalog = repo.catalog();
        this.progress = progress;
    }

    public Result run() throws IOException {
        try {
            List<TargetTable.Row> all = catalog.targets().all();
            if (all.isEmpty()) {
                return new Result(0, 0, 0, 0, 0, 0, List.of());
            }
            Map<Long, Long> reachable = connect(all);
            segmentNames(); // filled here, before the workers read it
            List<PushPlan.Need> needs = needs();
            Map<Long, Long> held = new HashMap<>();
            for (PlacementTable.Placement p : catalog.placements().all()) {
                held.merge(p.target(), p.bytes(), Long::sum);
            }
            PushPlan.Result plan = PushPlan.plan(PlacementPolicy.read(catalog), needs, reachable, all.size(), held);
            execute(plan.jobs());
            for (Map.Entry<Long, Set<Long>> left : leftOver.entrySet()) {
                placeOneByOne(left.getKey(), left.getValue());
            }
            for (PushPlan.Shortfall s : plan.shortfalls()) {
                if (down.isEmpty()) {
                    problems.add("segment " + segmentNames().get(s.segment()) + " has " + s.have() + " of the "
                            + s.want() + " copies the policy asks for: add targets or lower --copies");
                }
            }
            sendCatalog();
            return new Result(all.size(), placed.get(), segmentsSent.size(), targetsSentTo.size(), found.get(), bytes.get(),
                    List.copyOf(problems));
        } finally {
            for (TargetStore s : stores.values()) {
                s.close();
            }
        }
    }

    /**
     * Opens every target, all at once: a host that does not answer costs its connect deadline once,
     * not once per target on it, while the writer lock is held. The ones that fail are reported and
     * left out of this push.
     */
    private Map<Long, Long> connect(List<TargetTable.Row> all) throws IOException {
        Map<Long, Future<TargetStore>> opening = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, all.size()), r -> {
            Thread t = new Thread(r, "cairn-connect");
            t.setDaemon(true);
            return t;
        });
        try {
            for (TargetTable.Row row : all) {
                rows.put(row.id(), row);
                opening.put(row.id(), pool.submit(() -> Targets.open(row)));
            }
            Map<Long, IOException> failed = new HashMap<>();
            for (Map.Entry<Long, Future<TargetStore>> e : opening.entrySet()) {
                try {
                    stores.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException x) {
                    failed.put(e.getKey(), x.getCause() instanceof IOException io ? io : new IOException(x.getCause()));
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting to the targets", x);
                }
            }
            Map<Long, Long> reachable = new HashMap<>();
            for (TargetTable.Row row : all) {
                try {
                    if (failed.containsKey(row.id())) {
                        throw failed.get(row.id());
                    }
                    TargetStore s = stores.get(row.id());
                    TargetDirs.prepare(repo, row, s, false);
                    reachable.put(row.id(), s.freeBytes());
                } catch (IOException e) {
                    markDown(row.id(), e);
                }
            }
            return reachable;
        } finally {
            pool.shutdownNow();
        }
    }

    private void markDown(long target, IOException e) throws IOException {
        markDown(target, Messages.of(e));
    }

    private void markDown(long target, String msg) throws IOException {
        if (down.putIfAbsent(target, msg) == null) {
            String name = rows.get(target).name();
            problems.add(msg.startsWith("target " + name + " ") ? msg : "target " + name + ": " + msg);
            synchronized (catalog) {
                catalog.targets().recordFailure(target, msg);
            }
        }
    }

    private Map<Long, String> names;

    /** Segment id → name; filled on the calling thread before any worker starts. */
    private Map<Long, String> segmentNames() throws IOException {
        if (names == null) {
            Map<Long, String> m = new HashMap<>();
            for (SegmentTable.Segment s : catalog.segments().all()) {
                m.put(s.id(), s.name());
            }
            names = m;
        }
        return names;
    }

    private final Map<Long, Set<Long>> holders = new HashMap<>();
    private final Map<Long, Long> fileSizes = new HashMap<>();

    private List<PushPlan.Need> needs() throws IOException {
        for (PlacementTable.Placement p : catalog.placements().all()) {
            holders.computeIfAbsent(p.segment(), k -> new HashSet<>()).add(p.target());
            fileSizes.put(p.segment(), p.bytes());
        }
        List<PushPlan.Need> out = new ArrayList<>();
        for (SegmentTable.Segment s : catalog.segments().all()) {
            Path local = repo.layout().segment(s.name());
            long size = Files.isRegularFile(local) ? Files.size(local) : fileSizes.getOrDefault(s.id(), -1L);
            if (size < 0) {
                continue; // neither here nor anywhere: nothing to copy from (check reports it)
            }
            fileSizes.put(s.id(), size);
            out.add(new PushPlan.Need(s.id(), size, holders.getOrDefault(s.id(), Set.of())));
        }
        return out;
    }

    private void execute(List<PushPlan.Job> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return;
        }
        int threads = Math.min(8, Targets.CONNECTIONS * Math.max(1, stores.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cairn-push");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PushPlan.Job job : jobs) {
                futures.add(pool.submit(() -> {
                    placeSegment(job);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while pushing", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One segment to each of its planned targets; a target that fails is left out of the rest of the push.
     * A failed upload only puts off the target's remaining segments to {@link #placeOneByOne}: the room
     * that other uploads in flight took may be what it lacked.
     */
    private void placeSegment(PushPlan.Job job) throws IOException {
        placeSegment(job, false);
    }

    /**
     * What failed to upload to {@code target} while other uploads ran, and what was not started there
     * after that, is tried again one segment at a time, smallest first, until one fails. A full disk
     * then fails an upload that had the disk to itself: the segment named is one that does not fit, and
     * the free space given is the disk's own, not what this push's other uploads happened to leave.
     */
    private void placeOneByOne(long target, Set<Long> segments) throws IOException {
        List<Long> order = new ArrayList<>(segments);
        order.sort(java.util.Comparator.<Long>comparingLong(fileSizes::get).thenComparingLong(s -> s));
        for (int i = 0; i < order.size() && !down.containsKey(target); i++) {
            try {
                placeSegment(new PushPlan.Job(order.get(i), List.of(target)), true);
            } catch (Placer.UploadFailedException e) {
                int more = order.size() - i - 1;
                markDown(target, Messages.of(e) + (more == 0 ? "" : "; " + more + " more segment" + (more == 1 ? "" : "s")
                        + " not placed there"));
            }
        }
    }

    /** {@code alone}: an upload that fails is thrown, for {@link #placeOneByOne}. */
    private void placeSegment(PushPlan.Job job, boolean alone) throws IOException {
        String name = segmentNames().get(job.segment());
        byte[] sha;
        synchronized (catalog) {
            sha = catalog.segments().checksum(job.segment());
        }
        Path source = null;
        boolean fetched = false;
        try {
            for (long target : job.targets()) {
                if (down.containsKey(target)) {
                    continue;
                }
                if (!alone && leftOver.containsKey(target)) {
                    leftOver.get(target).add(job.segment());
                    continue;
                }
                try {
                    if (source == null) {
                        Path local = repo.layout().segment(name);
                        if (Files.isRegularFile(local)) {
                            if (sha == null) {
                                sha = checksumOldSegment(job.segment(), local);
                            }
                            source = local;
                        } else {
                            source = fetchFromAnotherTarget(job.segment(), name, sha);
                            fetched = true;
                        }
                    }
                    long size = Files.size(source);
                    boolean sent = Placer.place(stores.get(target), source, TargetLayout.segment(name), size, sha);
                    synchronized (catalog) {
                        catalog.placements().record(job.segment(), target, size, sha);
                    }
                    if (sent) {
                        placed.incrementAndGet();
                        segmentsSent.add(job.segment());
                        targetsSentTo.add(target);
                        bytes.addAndGet(size);
                    } else {
                        found.incrementAndGet();
                    }
                    progress.accept(placed.get() + " segments placed (" + bytes.get() / 1_000_000 + " MB)");
                } catch (CopyMismatchException e) {
                    problems.add("target " + rows.get(target).name() + ": segment " + name + ": " + e.getMessage());
                } catch (Placer.UploadFailedException e) {
                    if (alone) {
                        throw e;
                    }
                    leftOver.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(job.segment());
                } catch (IOException e) {
                    markDown(target, e);
                }
            }
        } finally {
            if (fetched && source != null) {
                Files.deleteIfExists(source);
            }
        }
    }

    /**
     * A segment sealed before the catalog kept checksums (schema version 3) has none yet: take it now,
     * once every byte of the file checks out against its CRCs, so that a file damaged since it was
     * written fails to place instead of spreading.
     */
    private byte[] checksumOldSegment(long id, Path local) throws IOException {
        cairn.store.segment.ScanResult scan = cairn.store.segment.SegmentReader.scan(local);
        if (!scan.sealed() || scan.validLength() != Files.size(local)) {
            throw new CopyMismatchException("segment " + local.getFileName() + " is damaged from offset "
                    + scan.validLength() + " (run cairn check): not placed");
        }
        byte[] sha = SegmentChecksum.of(local);
        synchronized (catalog) {
            catalog.segments().setChecksum(id, sha);
        }
        return sha;
    }

    /** An evicted segment that a new target needs: fetched from a target that holds it, and checked. */
    private Path fetchFromAnotherTarget(long segment, String name, byte[] sha) throws IOException {
        List<String> tried = new ArrayList<>();
        for (long holder : holders.getOrDefault(segment, Set.of())) {
            TargetStore from = stores.get(holder);
            if (from == null) {
                continue;
            }
            Path tmp = repo.layout().tmpDir().resolve(name + ".seg.fetch-" + Thread.currentThread().getId());
            try {
                from.download(TargetLayout.segment(name), tmp);
                if (Arrays.equals(SegmentChecksum.of(tmp), sha)) {
                    return tmp;
                }
                tried.add(rows.get(holder).name() + ": copy does not match its checksum");
            } catch (IOException e) {
                tried.add(rows.get(holder).name() + ": " + e.getMessage());
            }
            Files.deleteIfExists(tmp);
        }
        throw new CopyMismatchException("segment " + name + " is not here and no reachable target gave a good copy"
                + (tried.isEmpty() ? "" : " (" + String.join("; ", tried) + ")"));
    }

    private void sendCatalog() throws IOException {
        List<Long> up = new ArrayList<>();
        for (long t : stores.keySet()) {
            if (!down.containsKey(t)) {
                up.add(t);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        CatalogHead mine;
        synchronized (catalog) {
            mine = CatalogHead.of(catalog);
        }
        try (CatalogCopy copy = CatalogCopy.make(catalog, repo.layout().tmpDir())) {
            for (long t : up) {
                TargetStore s = stores.get(t);
                try {
                    if (!mine.mayReplace(CatalogHead.read(s))) {
                        problems.add("target " + rows.get(t).name() + ": its catalog copy was written by another copy of"
                                + " this repository (one recovered from it, or the one this was recovered from) that"
                                + " has pushed since; it is left as it is so its snapshots are not lost. Go on with"
                                + " one copy only (recover again from the target to go on with the other)");
                        continue;
                    }
                    // The head first: a push cut between the two leaves a head no older than the copy.
                    TargetDirs.placeBytes(repo, s, TargetLayout.CATALOG_HEAD, mine.bytes());
                    Placer.place(s, copy.file(), TargetLayout.CATALOG_COPY, copy.size(), copy.sha256());
                    long free = s.freeBytes();
                    synchronized (catalog) {
                        catalog.targets().recordSuccess(t, free);
                    }
                } catch (IOException e) {
                    markDown(t, e);
                }
            }
        }
    }
}
