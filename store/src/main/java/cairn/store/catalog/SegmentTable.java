package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The segment files the catalog knows. */
public final class SegmentTable {
    private final Connection conn;

    SegmentTable(Connection conn) {
        this.conn = conn;
    }

    public record Segment(long id, String name, long bytes, int chunks) {
    }

    public long insert(String name, long bytes, int chunks) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO segments(name, bytes, chunks, created_ns) VALUES (?, ?, ?, ?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setLong(2, bytes);
            ps.setInt(3, chunks);
            ps.setLong(4, System.currentTimeMillis() * 1_000_000L);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot record segment " + name + ": " + e.getMessage(), e);
        }
    }

    public void setSize(long id, long bytes, int chunks) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE segments SET bytes = ?, chunks = ? WHERE id = ?")) {
            ps.setLong(1, bytes);
            ps.setInt(2, chunks);
            ps.setLong(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot update segment " + id + ": " + e.getMessage(), e);
        }
    }

    /** Records the SHA-256 of the sealed file, by which its copies on targets are verified. */
    public void setChecksum(long id, byte[] sha256) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE segments SET sha256 = ? WHERE id = ?")) {
            ps.setBytes(1, sha256);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot update segment " + id + ": " + e.getMessage(), e);
        }
    }

    /** The sealed file's SHA-256, or null when it was never computed (segments from schema version 1). */
    public byte[] checksum(long id) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT sha256 FROM segments WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot read segment " + id + ": " + e.getMessage(), e);
        }
    }

    public List<Segment> all() throws CatalogException {
        List<Segment> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, name, bytes, chunks FROM segments ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Segment(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot list segments: " + e.getMessage(), e);
        }
    }

    public long totalBytes() throws CatalogException {
        return Sql.scalar(conn, "SELECT coalesce(sum(bytes), 0) FROM segments");
    }
}
