package cairn.store.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings an older catalog to {@link CatalogSchema#VERSION} in place, in one transaction: the steps
 * of {@link CatalogSchema#UPGRADES} from its version on run and the version is set, or nothing
 * changes. A cairn that crashes mid-upgrade leaves the old version behind, which the next open
 * upgrades again.
 */
final class CatalogUpgrade {
    private CatalogUpgrade() {
    }

    /** Upgrades when needed; returns the version the catalog has afterwards. */
    static int run(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            // IMMEDIATE takes the write lock before reading the version, so two processes opening the
            // same old catalog at once cannot both upgrade it: the second waits, then sees the new version.
            st.execute("BEGIN IMMEDIATE");
            boolean done = false;
            try {
                int from = version(st);
                if (from < CatalogSchema.VERSION) {
                    for (int v = from; v < CatalogSchema.VERSION; v++) {
                        for (String sql : CatalogSchema.UPGRADES.get(v - 1)) {
                            st.execute(sql);
                        }
                    }
                    st.execute("UPDATE meta SET value = '" + CatalogSchema.VERSION + "' WHERE key = 'schema_version'");
                }
                st.execute("COMMIT");
                done = true;
                return Math.max(from, CatalogSchema.VERSION);
            } finally {
                if (!done) {
                    st.execute("ROLLBACK");
                }
            }
        }
    }

    private static int version(Statement st) throws SQLException {
        try (var rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            return rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
        }
    }
}
