package cairn.store.check;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ChunkLocation;
import cairn.store.catalog.SegmentTable;
import cairn.store.catalog.TargetTable;
import cairn.store.placement.TargetAdmin;
import cairn.store.chunk.ChunkId;
import cairn.store.repo.Repository;
import cairn.store.segment.SegmentEntry;
import cairn.store.segment.SegmentReader;
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

    private void readAllChunks() throws IOException {
        long total = catalog.chunks().count();
        catalog.chunks().forEach(loc -> {
            try {
                byte[] data = repo.chunks().read(loc);
                bytesRead += data.length;
            } catch (IOException e) {
                findings.add(new Finding(Finding.Severity.ERROR, "segment " + loc.segmentName(), e.getMessage()));
            }
            if (++chunksRead % 256 == 0) {
                progress.accept("read " + chunksRead + "/" + total + " chunks");
            }
        });
    }
}
