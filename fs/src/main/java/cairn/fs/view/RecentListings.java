package cairn.fs.view;

import cairn.store.catalog.Entry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of recently listed directories, by listing id and name. libfuse 2 has no readdirplus,
 * so {@code ls -l} or {@code cp -a} follows every readdir with one lookup per name; answering those
 * from the page just listed saves a catalog seek each. Listings never change (a listing id names
 * fixed content), so nothing here goes stale. Bounded by the number of entries held; the least
 * recently listed directory goes first. Thread-safe.
 */
final class RecentListings {
    private final int maxEntries;
    private int entries;
    private final LinkedHashMap<Long, Map<String, Entry>> byDir = new LinkedHashMap<>(64, 0.75f, true);

    RecentListings(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Remembers one page of directory {@code dir}'s entries. */
    synchronized void add(long dir, List<Entry> page) {
        if (page.isEmpty() || page.size() > maxEntries) {
            return;
        }
        Map<String, Entry> names = byDir.computeIfAbsent(dir, k -> new HashMap<>());
        for (Entry e : page) {
            if (names.put(key(e.name()), e) == null) {
                entries++;
            }
        }
        var it = byDir.entrySet().iterator();
        while (entries > maxEntries && it.hasNext()) {
            Map.Entry<Long, Map<String, Entry>> eldest = it.next();
            if (eldest.getKey() == dir) {
                continue;
            }
            entries -= eldest.getValue().size();
            it.remove();
        }
    }

    /** The entry, if its directory was listed recently; null means "ask the catalog", not "absent". */
    synchronized Entry get(long dir, byte[] name) {
        Map<String, Entry> names = byDir.get(dir);
        return names == null ? null : names.get(key(name));
    }

    /** Names as ISO-8859-1 strings: one char per byte, so byte-exact keys. */
    private static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }
}
