package cairn.fs.view;

import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FsException;
import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import cairn.store.image.ImageName;
import cairn.store.repo.Repository;
import cairn.store.snapshot.SnapshotTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The children of each kind of directory node. Inside a tree snapshot a lookup is one index seek
 * ({@code dirs().lookup}), or none right after the directory was listed, and a listing walks
 * {@code listPage}, so a directory's size never decides what one call costs. Uses the calling thread's own catalog connection.
 */
final class Directories {
    static final byte[] LATEST = "latest".getBytes(StandardCharsets.US_ASCII);

    /** About 64k entries: a few MiB of heap, enough for the directories an {@code ls -lR} is in. */
    private static final int RECENT_ENTRIES = 1 << 16;

    private final Repository repo;
    private final SnapshotList snapshots;
    private final RecentListings recent = new RecentListings(RECENT_ENTRIES);

    Directories(Repository repo, SnapshotList snapshots) {
        this.repo = repo;
        this.snapshots = snapshots;
    }

    /** The child named {@code name}, or null when there is none. */
    Node lookup(Node dir, byte[] name) throws CatalogException, FsException {
        if (dir instanceof Node.SnapshotsRoot) {
            if (Arrays.equals(name, LATEST)) {
                Snapshot s = snapshots.latest();
                return s == null ? null : new Node.Latest(s);
            }
            Snapshot s = snapshots.byName(new String(name, StandardCharsets.ISO_8859_1));
            return s == null ? null : snapshotDir(s, true);
        }
        if (dir instanceof Node.InSnapshot in && in.imageHolder()) {
            Entry image = imageFile(in.snapshot());
            return Arrays.equals(name, image.name()) ? new Node.InSnapshot(in.snapshot(), image, false) : null;
        }
        if (dir instanceof Node.InSnapshot in && in.entry().type() == EntryType.DIR) {
            Entry e = recent.get(in.entry().subdir(), name);
            if (e == null) {
                e = repo.catalogOfThread().dirs().lookup(in.entry().subdir(), name);
            }
            return e == null ? null : new Node.InSnapshot(in.snapshot(), e, false);
        }
        throw new FsException(Errno.ENOTDIR);
    }

    /**
     * Up to {@code limit} children named after {@code after} (null: from the first), in name order for
     * snapshot directories; the snapshots root lists {@code latest} and then the snapshots oldest first.
     */
    List<Node> page(Node dir, byte[] after, int limit) throws CatalogException, FsException {
        if (dir instanceof Node.SnapshotsRoot) {
            if (after != null) {
                return List.of(); // the root comes in one page: it holds one name per snapshot
            }
            List<Node> out = new ArrayList<>();
            Snapshot latest = snapshots.latest();
            if (latest != null) {
                out.add(new Node.Latest(latest));
            }
            for (Snapshot s : snapshots.current()) {
                out.add(snapshotDir(s, true));
            }
            return out;
        }
        if (dir instanceof Node.InSnapshot in && in.imageHolder()) {
            return after != null ? List.of()
                    : List.of(new Node.InSnapshot(in.snapshot(), imageFile(in.snapshot()), false));
        }
        if (dir instanceof Node.InSnapshot in && in.entry().type() == EntryType.DIR) {
            List<Entry> entries = repo.catalogOfThread().dirs().listPage(in.entry().subdir(), after, limit);
            recent.add(in.entry().subdir(), entries);
            List<Node> out = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                out.add(new Node.InSnapshot(in.snapshot(), e, false));
            }
            return out;
        }
        throw new FsException(Errno.ENOTDIR);
    }

    /**
     * The directory standing for a snapshot: its tree's root, or for an image snapshot a directory
     * holding the image. In the all-snapshots view it is named by the id and dated by the snapshot.
     */
    static Node snapshotDir(Snapshot s, boolean inSnapshotsRoot) {
        byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
        if (s.kind() == Snapshot.Kind.IMAGE) {
            Entry holder = new Entry(name, EntryType.DIR, 0555, s.rootUid(), s.rootGid(), 0, s.finishedNs(),
                    s.finishedNs(), 0, 0, 2, 0, 0, 0, null);
            return new Node.InSnapshot(s, holder, true);
        }
        Entry root = SnapshotTree.root(s);
        long mtime = inSnapshotsRoot ? s.finishedNs() : root.mtimeNs();
        return new Node.InSnapshot(s, new Entry(inSnapshotsRoot ? name : root.name(), EntryType.DIR, root.mode(),
                root.uid(), root.gid(), 0, mtime, mtime, 0, 0, root.nlink(), 0, 0, root.subdir(), null), false);
    }

    /** An image snapshot's one file, named after its source ({@link ImageName}). */
    private Entry imageFile(Snapshot s) throws CatalogException {
        byte[] name = ImageName.of(s);
        long size = s.content() == 0 ? 0 : repo.catalogOfThread().contents().get(s.content()).size();
        return new Entry(name, EntryType.FILE, 0444, s.rootUid(), s.rootGid(), size, s.finishedNs(), s.finishedNs(),
                0, 0, 1, 0, s.content(), 0, null);
    }
}
