package cairn.fs.view;

import cairn.fs.fuse.Attr;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;

/** getattr for each kind of node: inside snapshots, exactly the metadata the backup recorded. */
final class Attrs {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    static final long SPARSE_MIN = 64L << 20;
    private static final int OWNER_UID = ownId("unix:uid");
    private static final int OWNER_GID = ownId("unix:gid");

    private Attrs() {
    }

    /**
     * {@code dataBytes}: a content's bytes outside its holes. Asked only of files of {@link #SPARSE_MIN}
     * and more (one catalog read each): st_blocks below the size is what tells {@code cp} and {@code du}
     * that a file is sparse, and smaller files are seldom sparse enough to matter.
     */
    static Attr of(Node n, List<Snapshot> all, LongUnaryOperator dataBytes) {
        if (n instanceof Node.SnapshotsRoot) {
            long t = all.isEmpty() ? 0 : all.get(all.size() - 1).finishedNs();
            return new Attr(Inodes.ROOT, S_IFDIR | 0555, 2 + all.size(), OWNER_UID, OWNER_GID, 0, 0, 0, t, t);
        }
        if (n instanceof Node.Latest l) {
            Snapshot s = l.target();
            return new Attr(Inodes.LATEST, S_IFLNK | 0777, 1, OWNER_UID, OWNER_GID, 0, s.name().length(),
                    s.name().length(), s.finishedNs(), s.finishedNs());
        }
        Node.InSnapshot in = (Node.InSnapshot) n;
        Entry e = in.entry();
        long size = e.type() == EntryType.SYMLINK && e.target() != null ? e.target().length : e.size();
        long ctime = e.ctimeNs() != 0 ? e.ctimeNs() : e.mtimeNs();
        long allocated = e.type() == EntryType.FILE && size >= SPARSE_MIN && e.content() != 0
                ? dataBytes.applyAsLong(e.content()) : size;
        return new Attr(Inodes.of(in.snapshot(), e, in.imageHolder()), e.stMode(), Math.max(1, e.nlink()), e.uid(),
                e.gid(), e.rdev(), size, allocated, e.mtimeNs(), ctime);
    }

    /** The inode number and type bits a listing reports for a node. */
    static long ino(Node n) {
        if (n instanceof Node.SnapshotsRoot) {
            return Inodes.ROOT;
        }
        if (n instanceof Node.Latest) {
            return Inodes.LATEST;
        }
        Node.InSnapshot in = (Node.InSnapshot) n;
        return Inodes.of(in.snapshot(), in.entry(), in.imageHolder());
    }

    static int typeBits(Node n) {
        if (n instanceof Node.SnapshotsRoot) {
            return S_IFDIR;
        }
        if (n instanceof Node.Latest) {
            return S_IFLNK;
        }
        return ((Node.InSnapshot) n).entry().type().modeBits();
    }

    /** The mounting user owns the synthetic nodes (root, latest). */
    private static int ownId(String attr) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attr);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }
}
