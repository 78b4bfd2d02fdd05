package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random snapshot ids, 8 hex digits, unique in the repository. */
public final class SnapshotNames {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SnapshotNames() {
    }

    public static String fresh(Catalog catalog) throws CatalogException {
        while (true) {
            byte[] b = new byte[4];
            RANDOM.nextBytes(b);
            String name = HexFormat.of().formatHex(b);
            if (!catalog.snapshots().nameExists(name) && !name.matches("[0-9]+")) {
                return name;
            }
        }
    }
}
