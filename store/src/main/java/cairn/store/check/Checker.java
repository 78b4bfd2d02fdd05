package cairn.store.check;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ChunkLocation;
import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.SegmentTable;
import cairn.store.catalog.TargetTable;
import cairn.store.chunk.ChunkId;
import cairn.store.placement.TargetAdmin;
import cairn.store.repo.Repository;
import cairn.store.segment.SegmentEntry;
import cairn.store.segment.SegmentReader;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The repository's health check. Without {@code readData}: the catalog's own integrity, every segment
 * present with a valid footer that agrees with the catalog about its chunks, every content's chunks
 * known. With it: every chunk is also read, decompressed and hashed.
 */
public final class Checker {
    private final Repository repo;
    private final Catalog catalog;
    private final List<Finding> findings = new ArrayList<>();
    private final Consumer<String> progress;
    private long chunksRead;
    private long bytesRead;
    /** Copies found missing or damaged on a reachable target: {segment, target}. */
    private final List<long[]> badCopies = new ArrayList<>();

    public Checker(Repository repo, Consumer<String> progress) {
        this.repo = repo;
        this.catalog = repo.catalog();
        this.progress = progress;
    }

    public List<Finding> run(boolean readData) throws IOException {
        String integrity = catalog.integrityCheck();
        if (!"ok".equals(integrity)) {
            findings.add(new Finding(Finding.Severity.ERROR, "catalog", integrity));
            return findings;
        }
        checkSegments();
        checkContents();
        checkSoleCopies();
        checkTargetCopies(readData);
        if (readData) {
            readAllChunks();
        }
        return findings;
    }

    public long chunksRead() {
        return chunksRead;
    }

    public long bytesRead() {
        return bytesRead;
    }

    private void checkSegments() throws IOException {
        Map<Long, Map<ChunkId, ChunkLocation>> bySegment = new HashMap<>();
        catalog.chunks().forEach(loc -> bySegment.computeIfAbsent(loc.segment(), k -> new HashMap<>()).put(loc.id(), loc));
        for (SegmentTable.Segment seg : catalog.segments().all()) {
            Path file = repo.layout().segment(seg.name());
            Map<ChunkId, ChunkLocation> expected = bySegment.getOrDefault(seg.id(), Map.of());
            List<SegmentEntry> index;
            try {
                // A segment evicted to targets is checked through its first readable copy there.
                index = Files.exists(file) ? SegmentReader.readIndex(file) : repo.chunks().readIndexElsewhere(seg.name());
            } catch (java.nio.file.NoSuchFileException e) {
                findings.add(new Finding(Finding.Severity.ERROR, "segment " + seg.name(),
                        "missing (" + expected.size() + " chunks lost)"));
                continue;
            } catch (IOException e) {
                findings.add(new Finding(Finding.Severity.ERROR, "segment " + seg.name(), e.getMessage()));
                continue;
            }
            int matched = 0;
            for (SegmentEntry e : index) {
                ChunkLocation loc = expected.get(e.id());
                if (loc != null) {
                    if (loc.offset() != e.offset() || loc.storedLength() != e.storedLength()
                            || loc.rawLength() != e.rawLength() || loc.codec() != e.codec()) {
                        findings.add(new Finding(Finding.Severity.ERROR, "segment " + seg.name(),
                                "chunk " + e.id() + " is at offset " + e.offset() + " in the footer but at "
                                        + loc.offset() + " in the catalog"));
                    }
                    matched++;
                }
            }
            if (matched != expected.size()) {
                findings.add(new Finding(Finding.Severity.ERROR, "segment " + seg.name(),
                        (expected.size() - matched) + " chunks the catalog places here are not in its index"));
            }
        }
    }

    /** Segments whose one copy is on a single target: what losing that target would lose. */
    private void checkSoleCopies() throws IOException {
        for (TargetTable.Row t : catalog.targets().all()) {
            List<String> only = TargetAdmin.onlyCopiesOn(repo, t.id());
            if (!only.isEmpty()) {
                findings.add(new Finding(Finding.Severity.WARNING, "target " + t.name(), only.size() + " segment"
                        + (only.size() == 1 ? "" : "s") + " would be lost with it (no other copy): "
                        + String.join(" ", only)));
            }
        }
    }

    /**
     * Each target still holds what the catalog says was placed there: its marker, and every copy at its
     * recorded size; with {@code readData}, with its recorded SHA-256, computed where the copy lies.
     * A copy that went missing or bad would otherwise go unnoticed while another copy reads, and evict
     * would count it.
     */
    private void checkTargetCopies(boolean readData) throws IOException {
        Map<Long, String> names = new HashMap<>();
        for (SegmentTable.Segment seg : catalog.segments().all()) {
            names.put(seg.id(), seg.name());
        }
        Map<Long, List<PlacementTable.Placement>> byTarget = new HashMap<>();
        for (PlacementTable.Placement p : catalog.placements().all()) {
            byTarget.computeIfAbsent(p.target(), k -> new ArrayList<>()).add(p);
        }
        for (TargetTable.Row t : catalog.targets().all()) {
            List<PlacementTable.Placement> copies = byTarget.getOrDefault(t.id(), List.of());
            String where = "target " + t.name();
            try (TargetStore store = TargetAdmin.openVerified(repo, t)) {
                int bad = 0;
                String first = null;
                for (PlacementTable.Placement p : copies) {
                    String name = names.get(p.segment());
                    String problem = copyProblem(store, name, p, readData);
                    if (problem != null) {
                        badCopies.add(new long[] {p.segment(), p.target()});
                        bad++;
                        first = first == null ? "segment " + name + " " + problem : first;
                    }
                    progress.accept("checked " + t.name() + "'s copies");
                }
                if (bad > 0) {
                    findings.add(new Finding(Finding.Severity.ERROR, where, bad + " of its " + copies(copies.size())
                            + (bad == 1 ? " is" : " are") + " missing or damaged (" + first + (bad > 1 ? ", ..." : "")
                            + ")"));
                }
            } catch (IOException e) {
                findings.add(new Finding(Finding.Severity.ERROR, where, "its " + copies(copies.size())
                        + " could not be checked: " + e.getMessage()));
            }
        }
    }

    /**
     * Forgets the placements {@link #run} found missing or damaged, so the next push places those
     * copies again, where another copy remains to place them from (here, or a sound one on another
     * target); a damaged only copy stays recorded, since its other chunks may still read. The caller
     * holds the writer lock. Returns how many were forgotten.
     */
    public int forgetBadCopies() throws IOException {
        java.util.Set<String> bad = new java.util.HashSet<>();
        for (long[] b : badCopies) {
            bad.add(b[0] + ":" + b[1]);
        }
        Map<Long, String> names = new HashMap<>();
        for (SegmentTable.Segment seg : catalog.segments().all()) {
            names.put(seg.id(), seg.name());
        }
        List<PlacementTable.Placement> all = catalog.placements().all();
        int forgotten = 0;
        for (long[] b : badCopies) {
            boolean local = Files.exists(repo.layout().segment(names.get(b[0])));
            boolean soundElsewhere = all.stream().anyMatch(p -> p.segment() == b[0] && p.target() != b[1]
                    && !bad.contains(p.segment() + ":" + p.target()));
            if (local || soundElsewhere) {
                catalog.placements().forget(b[0], b[1]);
                forgotten++;
            }
        }
        return forgotten;
    }

    /** Whether {@link #run} found copies on targets that are missing or damaged. */
    public boolean foundBadCopies() {
        return !badCopies.isEmpty();
    }

    private static String copies(int n) {
        return n == 1 ? "1 copy" : n + " copies";
    }

    /** What is wrong with one copy on a target, or null when it is as recorded. */
    private static String copyProblem(TargetStore store, String name, PlacementTable.Placement p, boolean readData)
            throws IOException {
        String path = TargetLayout.segment(name);
        long size = store.size(path);
        if (size < 0) {
            return "is missing";
        }
        if (size != p.bytes()) {
            return "has " + size + " bytes, " + p.bytes() + " when placed";
        }
        if (readData && p.sha256() != null && !java.util.Arrays.equals(store.sha256(path), p.sha256())) {
            return "does not match its SHA-256";
        }
        return null;
    }

    private void checkContents() throws IOException {
        long[] missing = {0};
        try {
            catalog.contents().forEach(c -> {
                ChunkList list = c.chunks();
                for (int i = 0; i < list.count(); i++) {
                    if (list.isHole(i)) {
                        continue; // zeros, stored as nothing: there is no chunk to find
                    }
                    try {
                        if (!catalog.chunks().contains(list.id(i))) {
                            missing[0]++;
                            if (missing[0] <= 20) {
                                findings.add(new Finding(Finding.Severity.ERROR, "content " + c.id(),
                                        "names chunk " + list.id(i) + ", which no segment holds"));
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        if (missing[0] > 20) {
            findings.add(new Finding(Finding.Severity.ERROR, "contents", missing[0] + " references to missing chunks in all"));
        }
    }

    /** Reads every chunk; the chunks of one segment that fail make one finding, not one each. */
    private void readAllChunks() throws IOException {
        long total = catalog.chunks().count();
        Map<String, int[]> failed = new java.util.LinkedHashMap<>();
        Map<String, String> firstReason = new HashMap<>();
        catalog.chunks().forEach(loc -> {
            try {
                byte[] data = repo.chunks().read(loc);
                bytesRead += data.length;
            } catch (IOException e) {
                failed.computeIfAbsent(loc.segmentName(), k -> new int[1])[0]++;
                firstReason.putIfAbsent(loc.segmentName(), e.getMessage());
            }
            if (++chunksRead % 256 == 0) {
                progress.accept("read " + chunksRead + "/" + total + " chunks");
            }
        });
        failed.forEach((segment, n) -> findings.add(new Finding(Finding.Severity.ERROR, "segment " + segment,
                (n[0] == 1 ? "1 chunk" : n[0] + " chunks") + " cannot be read: " + firstReason.get(segment))));
    }
}
