package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.SegmentTable;
import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import cairn.store.targets.SshSettings;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import cairn.store.targets.TargetUri;
import cairn.store.targets.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Adding and removing targets. The caller holds the writer lock. */
public final class TargetAdmin {
    private TargetAdmin() {
    }

    /**
     * Adds a target after reaching it: the host answers with a known key, the key is accepted, the
     * directory exists and belongs to no other repository. Writes the target's marker. A directory that
     * was a target of this repository before (removed, then added again), or a copy of a target's
     * directory, is taken with the copies in it, each verified against the segment's checksum, so they
     * count (again).
     */
    public static TargetTable.Row add(Repository repo, String name, String uriText, SshSettings ssh) throws IOException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("bad target name '" + name
                    + "': use letters, digits, '.', '_' and '-' (at most 64)");
        }
        TargetUri uri = TargetUri.parse(uriText);
        if (uri.kind() == TargetUri.Kind.LOCAL && uri.localPath().startsWith(repo.layout().root().toAbsolutePath())) {
            throw new IllegalArgumentException("target " + uri + " is inside the repository: a copy must live elsewhere");
        }
        Catalog c = repo.catalog();
        if (c.targets().byName(name) != null) {
            throw new IllegalArgumentException("there is already a target called " + name);
        }
        for (TargetTable.Row r : c.targets().all()) {
            if (r.uri().equals(uri.toString())) {
                throw new IllegalArgumentException(uri + " is already target " + r.name());
            }
        }
        String options = uri.kind() == TargetUri.Kind.SFTP ? ssh.options() : "";
        try (TargetStore store = Targets.open(uri, ssh)) {
            long id = c.targets().insert(name, uri.toString(), uri.kind().text(), options);
            TargetTable.Row row = c.targets().byName(name);
            try {
                TargetDirs.prepare(repo, row, store, true);
                takeBackCopies(repo, row, store);
                c.targets().recordSuccess(id, store.freeBytes());
            } catch (IOException | RuntimeException e) {
                c.targets().remove(id);
                throw e;
            }
            return c.targets().byName(name);
        }
    }

    /** Records as placed the copies already in the directory that match their segment's checksum. */
    private static void takeBackCopies(Repository repo, TargetTable.Row row, TargetStore store) throws IOException {
        Set<String> there = new HashSet<>();
        for (String dir : store.list(TargetLayout.SEGMENTS)) {
            for (String file : store.list(TargetLayout.SEGMENTS + "/" + dir)) {
                if (file.endsWith(".seg")) {
                    there.add(file.substring(0, file.length() - 4));
                }
            }
        }
        if (there.isEmpty()) {
            return;
        }
        Catalog c = repo.catalog();
        for (SegmentTable.Segment seg : c.segments().all()) {
            byte[] sha = there.contains(seg.name()) ? c.segments().checksum(seg.id()) : null;
            String path = TargetLayout.segment(seg.name());
            if (sha != null && Arrays.equals(store.sha256(path), sha)) {
                c.placements().record(seg.id(), row.id(), store.size(path), sha);
            }
        }
    }

    /** How many segments have a recorded copy on {@code target}. */
    public static int copiesOn(Repository repo, long target) throws IOException {
        return (int) repo.catalog().placements().all().stream().filter(p -> p.target() == target).count();
    }

    /**
     * Opens a registered target and checks its directory is still the one that was added (see
     * {@link TargetDirs#verify}); an unreachable target or a wrong directory is a
     * {@link cairn.store.targets.TargetUnavailableException}.
     */
    public static TargetStore openVerified(Repository repo, TargetTable.Row row) throws IOException {
        TargetStore store = Targets.open(row);
        try {
            TargetDirs.verify(repo, row, store);
            return store;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Segments whose only copy is on {@code target}: no local file and no other verified placement.
     * Losing the target loses them.
     */
    public static List<String> onlyCopiesOn(Repository repo, long target) throws IOException {
        Map<Long, List<Long>> holders = new HashMap<>();
        for (PlacementTable.Placement p : repo.catalog().placements().all()) {
            holders.computeIfAbsent(p.segment(), k -> new ArrayList<>()).add(p.target());
        }
        List<String> out = new ArrayList<>();
        for (SegmentTable.Segment s : repo.catalog().segments().all()) {
            List<Long> h = holders.getOrDefault(s.id(), List.of());
            if (h.size() == 1 && h.get(0) == target && !Files.isRegularFile(repo.layout().segment(s.name()))) {
                out.add(s.name());
            }
        }
        return out;
    }

    /**
     * Forgets a target and its placements (its files are left where they are). Refused while it holds
     * the only copy of any segment, unless {@code force}.
     */
    public static void remove(Repository repo, String name, boolean force) throws IOException {
        TargetTable.Row row = repo.catalog().targets().byName(name);
        if (row == null) {
            throw new IllegalArgumentException("no target called " + name);
        }
        List<String> only = onlyCopiesOn(repo, row.id());
        if (!only.isEmpty() && !force) {
            throw new IllegalArgumentException("target " + name + " holds the only copy of " + only.size() + " segment"
                    + (only.size() == 1 ? "" : "s") + " (e.g. " + only.get(0) + "); push them elsewhere first,"
                    + " or use --force to drop them");
        }
        Catalog c = repo.catalog();
        c.begin();
        try {
            c.targets().remove(row.id());
            c.commit();
        } catch (IOException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }
}
