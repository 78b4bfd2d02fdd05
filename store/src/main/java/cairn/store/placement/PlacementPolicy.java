package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import java.sql.SQLException;

/**
 * How many targets get each segment, stored in the catalog's {@code meta} as
 * {@code placement_policy}: {@code mirror} (every target gets every segment; the default) or
 * {@code spread N} (each segment on N targets, those with the most free space).
 */
public record PlacementPolicy(boolean mirror, int copies) {
    public static final PlacementPolicy MIRROR = new PlacementPolicy(true, 0);
    static final String META_KEY = "placement_policy";

    public static PlacementPolicy spread(int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("--copies must be at least 1, not " + copies);
        }
        return new PlacementPolicy(false, copies);
    }

    /**
     * Copies each segment must have on targets under this policy, given how many targets there are.
     * Spread asks for its N even with fewer targets: push then reports the shortfall, and evict keeps
     * the local copy, rather than counting fewer copies as enough.
     */
    public int required(int targets) {
        return mirror ? targets : copies;
    }

    public String text() {
        return mirror ? "mirror" : "spread " + copies;
    }

    public static PlacementPolicy read(Catalog c) throws CatalogException {
        String v;
        try {
            v = c.meta(META_KEY);
        } catch (SQLException e) {
            throw new CatalogException("cannot read the placement policy: " + e.getMessage(), e);
        }
        if (v == null || v.equals("mirror")) {
            return MIRROR;
        }
        if (v.startsWith("spread ")) {
            return spread(Integer.parseInt(v.substring(7).trim()));
        }
        throw new CatalogException("unknown placement policy '" + v + "' in the catalog: upgrade cairn");
    }

    public void write(Catalog c) throws CatalogException {
        try {
            c.putMeta(META_KEY, text());
        } catch (SQLException e) {
            throw new CatalogException("cannot set the placement policy: " + e.getMessage(), e);
        }
    }
}
