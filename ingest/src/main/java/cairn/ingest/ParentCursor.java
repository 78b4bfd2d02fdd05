package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Entry;
import java.util.Arrays;
import java.util.List;

/**
 * Walks the parent snapshot's listing of the same directory beside the current one. Both are in name
 * order, so a merge finds each name's old entry with pages of the parent listing: memory stays bounded
 * however large the directory.
 */
final class ParentCursor {
    private static final int PAGE = 1024;
    private final Catalog catalog;
    private final long dir;
    private List<Entry> page = List.of();
    private int pos;
    private boolean exhausted;

    ParentCursor(Catalog catalog, long dir) {
        this.catalog = catalog;
        this.dir = dir;
        this.exhausted = dir == 0;
    }

    /** The parent's entry for {@code name}, or null; names must be asked in ascending byte order. */
    Entry find(byte[] name) throws CatalogException {
        while (true) {
            while (pos < page.size()) {
                int c = Arrays.compareUnsigned(page.get(pos).name(), name);
                if (c == 0) {
                    return page.get(pos);
                }
                if (c > 0) {
                    return null;
                }
                pos++;
            }
            if (exhausted) {
                return null;
            }
            byte[] after = page.isEmpty() ? null : page.get(page.size() - 1).name();
            synchronized (catalog) {
                page = catalog.dirs().listPage(dir, after, PAGE);
            }
            pos = 0;
            if (page.size() < PAGE) {
                exhausted = true;
            }
        }
    }
}
