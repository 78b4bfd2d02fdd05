package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Small helpers shared by the tables. */
final class Sql {
    private Sql() {
    }

    static long scalar(Connection conn, String sql, Object... args) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog query failed (" + sql + "): " + e.getMessage(), e);
        }
    }
}
