package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The places that hold copies of segments, besides the repository itself. */
public final class TargetTable {
    private final Connection conn;

    TargetTable(Connection conn) {
        this.conn = conn;
    }

    /**
     * One target. {@code options} is text of {@code key=value} lines (e.g. the SSH identity file);
     * {@code freeBytes} is -1 until a push has asked the target; times are epoch nanoseconds, 0 for never.
     */
    public record Row(long id, String name, String uri, String kind, String options, long addedNs,
                      long lastSuccessNs, long freeBytes, String lastError) {
    }

    private static final String COLUMNS = "id, name, uri, kind, options, added_ns, last_success_ns, free_bytes, last_error";

    public long insert(String name, String uri, String kind, String options) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO targets(name, uri, kind, options, added_ns) VALUES (?, ?, ?, ?, ?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, uri);
            ps.setString(3, kind);
            ps.setString(4, options);
            ps.setLong(5, System.currentTimeMillis() * 1_000_000L);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot record target " + name + ": " + e.getMessage(), e);
        }
    }

    public List<Row> all() throws CatalogException {
        return query("SELECT " + COLUMNS + " FROM targets ORDER BY name");
    }

    /** The target called {@code name}, or null. */
    public Row byName(String name) throws CatalogException {
        List<Row> r = query("SELECT " + COLUMNS + " FROM targets WHERE name = ?", name);
        return r.isEmpty() ? null : r.get(0);
    }

    public void setUri(long id, String uri, String options) throws CatalogException {
        update("UPDATE targets SET uri = ?, options = ? WHERE id = ?", uri, options, id);
    }

    /** Removes the target and every placement it held. */
    public void remove(long id) throws CatalogException {
        update("DELETE FROM placements WHERE target = ?", id);
        update("DELETE FROM targets WHERE id = ?", id);
    }

    public void recordSuccess(long id, long freeBytes) throws CatalogException {
        update("UPDATE targets SET last_success_ns = ?, free_bytes = ?, last_error = NULL WHERE id = ?",
                System.currentTimeMillis() * 1_000_000L, freeBytes, id);
    }

    public void recordFailure(long id, String error) throws CatalogException {
        update("UPDATE targets SET last_error = ? WHERE id = ?", error, id);
    }

    private void update(String sql, Object... args) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot update targets: " + e.getMessage(), e);
        }
    }

    private List<Row> query(String sql, Object... args) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot read targets: " + e.getMessage(), e);
        }
    }
}
