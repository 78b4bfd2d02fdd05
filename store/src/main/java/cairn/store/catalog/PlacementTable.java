package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verified copies of segments on targets. A row exists only for a copy that was uploaded whole under
 * a temporary name, had its size and SHA-256 confirmed where it lies, and was renamed into place:
 * a row is the promise that the copy is whole.
 */
public final class PlacementTable {
    private final Connection conn;
    private PreparedStatement holders;

    PlacementTable(Connection conn) {
        this.conn = conn;
    }

    /** One verified copy: {@code bytes} is the whole file's size. */
    public record Placement(long segment, long target, long bytes, byte[] sha256, long placedNs) {
    }

    /** A copy of one segment: which target, and how big the file is there. */
    public record Holder(long target, long bytes) {
    }

    public void record(long segment, long target, long bytes, byte[] sha256) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO placements(segment, target, bytes,"
                + " sha256, placed_ns) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, segment);
            ps.setLong(2, target);
            ps.setLong(3, bytes);
            ps.setBytes(4, sha256);
            ps.setLong(5, System.currentTimeMillis() * 1_000_000L);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot record a placement of segment " + segment + ": " + e.getMessage(), e);
        }
    }

    /** Forgets a copy found missing or damaged. */
    public void forget(long segment, long target) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM placements WHERE segment = ? AND target = ?")) {
            ps.setLong(1, segment);
            ps.setLong(2, target);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot forget a placement of segment " + segment + ": " + e.getMessage(), e);
        }
    }

    /** The targets holding a verified copy of the segment called {@code segmentName}, in target id order. */
    public List<Holder> holders(String segmentName) throws CatalogException {
        try {
            if (holders == null) {
                holders = conn.prepareStatement("SELECT p.target, p.bytes FROM placements p"
                        + " JOIN segments s ON s.id = p.segment WHERE s.name = ? ORDER BY p.target");
            }
            holders.setString(1, segmentName);
            List<Holder> out = new ArrayList<>();
            try (ResultSet rs = holders.executeQuery()) {
                while (rs.next()) {
                    out.add(new Holder(rs.getLong(1), rs.getLong(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot look up copies of segment " + segmentName + ": " + e.getMessage(), e);
        }
    }

    public List<Placement> all() throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT segment, target, bytes, sha256, placed_ns FROM placements ORDER BY segment, target");
             ResultSet rs = ps.executeQuery()) {
            List<Placement> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Placement(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4), rs.getLong(5)));
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot read placements: " + e.getMessage(), e);
        }
    }
}
