package cairn.fs.view;

import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;

/** What a path in the mount names. */
sealed interface Node {
    /** The root of the all-snapshots view: one directory per snapshot and {@code latest}. */
    record SnapshotsRoot() implements Node {
    }

    /** {@code latest}: a symlink to the newest complete snapshot's directory. */
    record Latest(Snapshot target) implements Node {
    }

    /**
     * An entry inside a snapshot (its root included). {@code imageHolder} marks the directory standing for
     * an image snapshot, whose one child is the image file.
     */
    record InSnapshot(Snapshot snapshot, Entry entry, boolean imageHolder) implements Node {
    }
}
