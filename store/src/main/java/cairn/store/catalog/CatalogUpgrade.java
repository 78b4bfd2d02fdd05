package cairn.store.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings an older catalog to {@link CatalogSchema#VERSION} in place, in one transaction: the new
 * statements of {@link CatalogSchema#DDL} run and the version is set, or nothing changes. Schema
 * changes only ever add tables, columns and indexes, so an upgraded catalog still holds everything it
 * held, and a cairn that crashes mid-upgrade leaves the old version behind, which the next open
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
                    for (int i = CatalogSchema.STATEMENTS_UP_TO[from]; i < CatalogSchema.DDL.size(); i++) {
                        st.execute(CatalogSchema.DDL.get(i));
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
