package cairn.store.repo;

import cairn.store.catalog.Catalog;
import cairn.store.segment.SegmentChecksum;
import cairn.store.segment.SegmentEntry;
import cairn.store.segment.SegmentFormat;
import cairn.store.segment.SegmentReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a writer that died leaves behind, and how the next one puts it right. A backup commits its
 * catalog rows in one transaction at the very end, so a crash loses only catalog rows, never
 * segments: sealed segment files the catalog does not name are adopted (their chunks count for
 * dedup from now on), and unsealed files in tmp/ are deleted. Runs under the writer lock.
 */
final class CrashRecovery {
    private final RepoLayout layout;
    private final Catalog catalog;

    CrashRecovery(RepoLayout layout, Catalog catalog) {
        this.layout = layout;
        this.catalog = catalog;
    }

    void run() throws IOException {
        deleteUnsealed();
        adoptOrphans();
    }

    private void deleteUnsealed() throws IOException {
        if (!Files.isDirectory(layout.tmpDir())) {
            Files.createDirectories(layout.tmpDir());
            return;
        }
        try (Stream<Path> s = Files.list(layout.tmpDir())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void adoptOrphans() throws IOException {
        Set<String> known = new HashSet<>();
        catalog.segments().all().forEach(seg -> known.add(seg.name()));
        if (!Files.isDirectory(layout.segmentsDir())) {
            return;
        }
        try (Stream<Path> s = Files.walk(layout.segmentsDir(), 2)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".seg") || !Files.isRegularFile(p)) {
                    continue;
                }
                String name = f.substring(0, f.length() - 4);
                if (!known.contains(name)) {
                    adopt(name, p);
                }
            }
        }
    }

    private void adopt(String name, Path file) throws IOException {
        List<SegmentEntry> entries;
        try {
            entries = SegmentReader.readIndex(file);
        } catch (IOException e) {
            // Not a whole segment: nothing in the catalog refers to it, so it holds nothing we need.
            Files.delete(file);
            return;
        }
        catalog.begin();
        try {
            // Like a committed segment's: header and records, without the footer.
            long bytes = entries.stream().mapToLong(SegmentEntry::end).max().orElse(SegmentFormat.HEADER_SIZE);
            long id = catalog.segments().insert(name, bytes, entries.size());
            catalog.segments().setChecksum(id, SegmentChecksum.of(file));
            for (SegmentEntry e : entries) {
                catalog.chunks().insert(e.id(), id, e.offset(), e.storedLength(), e.rawLength(), e.codec());
            }
            catalog.commit();
        } catch (IOException | RuntimeException e) {
            catalog.rollback();
            throw e;
        }
    }
}
