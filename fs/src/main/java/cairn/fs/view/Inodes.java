package cairn.fs.view;

import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;

/**
 * Inode numbers that are the same on every mount: a hash of (snapshot, source device, source inode),
 * so hard links in one snapshot share a number (and {@code cp -a} keeps them linked) while the same
 * file in two snapshots does not. 1 is the mount's root and 2 is {@code latest}.
 */
final class Inodes {
    static final long ROOT = 1;
    static final long LATEST = 2;

    private Inodes() {
    }

    static long of(Snapshot s, Entry e, boolean imageHolder) {
        if (imageHolder || e.ino() == 0 && e.dev() == 0) {
            // Snapshot roots and image files have no source inode; the name keeps them apart.
            return fix(mix(mix(s.id() * 31 + (imageHolder ? 1 : 2)) ^ java.util.Arrays.hashCode(e.name())));
        }
        return fix(mix(mix(mix(s.id()) ^ e.dev()) ^ e.ino()));
    }

    /** SplitMix64's finalizer: spreads nearby ids over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Positive (some tools print st_ino signed) and never one of the fixed numbers. */
    private static long fix(long h) {
        h &= Long.MAX_VALUE;
        return h <= LATEST ? h + 3 : h;
    }
}
