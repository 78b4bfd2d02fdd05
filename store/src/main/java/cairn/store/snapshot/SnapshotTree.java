package cairn.store.snapshot;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Paths inside a tree snapshot: the root as an entry, and path → entry resolution. */
public final class SnapshotTree {
    private SnapshotTree() {
    }

    /** The snapshot's root directory (the backed-up source directory itself) as an entry. */
    public static Entry root(Snapshot s) {
        byte[] src = s.source();
        int slash = src.length - 1;
        while (slash >= 0 && src[slash] != '/') {
            slash--;
        }
        byte[] name = Arrays.copyOfRange(src, slash + 1, src.length);
        return new Entry(name, EntryType.DIR, s.rootMode(), s.rootUid(), s.rootGid(), 0, s.rootMtimeNs(), 0, 0, 0,
                2, 0, 0, s.rootDir(), null);
    }

    /** Splits a path like "a/b/c" or "/a/b/" into its raw name elements. */
    public static List<byte[]> elements(byte[] path) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > start && !(i - start == 1 && path[start] == '.')) {
                    out.add(Arrays.copyOfRange(path, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The entry at {@code path} in the snapshot (empty path: the root); throws when it does not exist. */
    public static Entry resolve(Catalog catalog, Snapshot s, byte[] path) throws CatalogException {
        if (s.kind() != Snapshot.Kind.TREE) {
            throw new CatalogException("snapshot " + s.name() + " is an image snapshot, not a tree");
        }
        Entry cur = root(s);
        for (byte[] name : elements(path)) {
            if (cur.type() != EntryType.DIR) {
                throw new CatalogException("no such path in snapshot " + s.name() + ": "
                        + cairn.store.fsutil.Names.display(path) + " (a parent is not a directory)");
            }
            Entry next = catalog.dirs().lookup(cur.subdir(), name);
            if (next == null) {
                throw new CatalogException("no such path in snapshot " + s.name() + ": "
                        + cairn.store.fsutil.Names.display(path));
            }
            cur = next;
        }
        return cur;
    }
}
