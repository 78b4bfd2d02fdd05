package cairn.fs.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentListingsTest {
    private static Entry file(String name, long size) {
        return new Entry(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), EntryType.FILE, 0644, 0, 0,
                size, 0, 0, 0, 0, 1, 0, 7, 0, null);
    }

    private static List<Entry> page(String prefix, int n) {
        List<Entry> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(file(prefix + i, i));
        }
        return l;
    }

    @Test
    void namesOfARecentListingAreFoundByTheirBytes() {
        RecentListings r = new RecentListings(100);
        r.add(5, List.of(file("a", 1), file("\u00ff\u0080raw", 2)));
        assertEquals(2, r.get(5, new byte[] {(byte) 0xff, (byte) 0x80, 'r', 'a', 'w'}).size());
        assertEquals(1, r.get(5, "a".getBytes()).size());
        assertNull(r.get(5, "b".getBytes()), "not listed: the caller asks the catalog");
        assertNull(r.get(6, "a".getBytes()), "another directory");
    }

    @Test
    void theLeastRecentlyListedDirectoryGoesFirst() {
        RecentListings r = new RecentListings(100);
        r.add(1, page("x", 40));
        r.add(2, page("y", 40));
        r.get(1, "x0".getBytes()); // 1 is now more recent than 2
        r.add(3, page("z", 40));
        assertNull(r.get(2, "y0".getBytes()));
        assertEquals(0, r.get(1, "x0".getBytes()).size());
        assertEquals(39, r.get(3, "z39".getBytes()).size());
        r.add(4, page("w", 101)); // larger than the whole cache: not kept, nothing evicted for it
        assertNull(r.get(4, "w0".getBytes()));
        assertEquals(0, r.get(1, "x0".getBytes()).size());
    }
}
