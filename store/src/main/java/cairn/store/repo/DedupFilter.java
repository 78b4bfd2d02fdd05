package cairn.store.repo;

/**
 * An in-memory set of the first 8 bytes of every chunk id the repository holds: answers "certainly
 * new" without touching the catalog, which is the common case for new data. A hit is only a
 * "maybe" and is confirmed against the catalog. Open addressing over a long[]; about 16 bytes per
 * chunk, so a million chunks cost 16 MiB. Thread-safe.
 */
final class DedupFilter {
    private long[] table = new long[1 << 16];
    private int size;
    private boolean hasZero;

    synchronized boolean mightContain(long key) {
        if (key == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == key) {
                return true;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    synchronized void add(long key) {
        if (key == 0) {
            hasZero = true;
            return;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        if (insert(table, key)) {
            size++;
        }
    }

    synchronized int size() {
        return size + (hasZero ? 1 : 0);
    }

    private static boolean insert(long[] t, long key) {
        int mask = t.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (t[i] == key) {
                return false;
            }
            if (t[i] == 0) {
                t[i] = key;
                return true;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != 0) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }

    private static int mix(long key) {
        // Chunk ids are uniformly random already; fold the halves so every bit counts.
        return (int) (key ^ (key >>> 32));
    }
}
