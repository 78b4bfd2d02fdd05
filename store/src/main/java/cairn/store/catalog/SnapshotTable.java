package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Snapshots and the read errors recorded with each. */
public final class SnapshotTable {
    private static final String COLUMNS = "id, name, kind, status, label, source, host, started_ns, finished_ns,"
            + " parent, root_dir, root_mode, root_uid, root_gid, root_mtime_ns, content, block_size, image_sha256,"
            + " files, dirs, bytes, new_bytes, stored_bytes, errors";
    private final Connection conn;

    SnapshotTable(Connection conn) {
        this.conn = conn;
    }

    public record ReadError(byte[] path, String reason) {
    }

    /** Inserts the snapshot (its {@code id} is ignored) and returns the new row id. */
    public long insert(Snapshot s) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO snapshots(" + COLUMNS.substring(4)
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            ps.setString(i++, s.name());
            ps.setString(i++, s.kind().text());
            ps.setString(i++, s.status().text());
            ps.setString(i++, s.label());
            ps.setBytes(i++, s.source());
            ps.setString(i++, s.host());
            ps.setLong(i++, s.startedNs());
            ps.setLong(i++, s.finishedNs());
            setIdOrNull(ps, i++, s.parent());
            setIdOrNull(ps, i++, s.rootDir());
            ps.setInt(i++, s.rootMode());
            ps.setInt(i++, s.rootUid());
            ps.setInt(i++, s.rootGid());
            ps.setLong(i++, s.rootMtimeNs());
            setIdOrNull(ps, i++, s.content());
            ps.setInt(i++, s.blockSize());
            ps.setBytes(i++, s.imageSha256());
            ps.setLong(i++, s.files());
            ps.setLong(i++, s.dirs());
            ps.setLong(i++, s.bytes());
            ps.setLong(i++, s.newBytes());
            ps.setLong(i++, s.storedBytes());
            ps.setLong(i, s.errors());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot record snapshot " + s.name() + ": " + e.getMessage(), e);
        }
    }

    public void addError(long snapshot, byte[] path, String reason) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO snapshot_errors(snapshot, path, reason) VALUES (?, ?, ?)")) {
            ps.setLong(1, snapshot);
            ps.setBytes(2, path);
            ps.setString(3, reason);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot record a read error: " + e.getMessage(), e);
        }
    }

    public List<ReadError> errors(long snapshot) throws CatalogException {
        List<ReadError> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT path, reason FROM snapshot_errors WHERE snapshot = ? ORDER BY rowid")) {
            ps.setLong(1, snapshot);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReadError(rs.getBytes(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot read snapshot errors: " + e.getMessage(), e);
        }
    }

    /** All snapshots, oldest first. */
    public List<Snapshot> all() throws CatalogException {
        return query("SELECT " + COLUMNS + " FROM snapshots ORDER BY finished_ns, id");
    }

    public boolean nameExists(String name) throws CatalogException {
        return Sql.scalar(conn, "SELECT count(*) FROM snapshots WHERE name = ?", name) > 0;
    }

    /** Snapshots whose name starts with {@code prefix}. */
    public List<Snapshot> byPrefix(String prefix) throws CatalogException {
        String p = prefix.toLowerCase(Locale.ROOT);
        if (!p.matches("[0-9a-f]+")) {
            return List.of();
        }
        return query("SELECT " + COLUMNS + " FROM snapshots WHERE name >= ? AND name < ? ORDER BY id", p, p + "g");
    }

    /** The newest complete tree snapshot of {@code source}, or null: the parent of the next backup. */
    public Snapshot latestComplete(byte[] source, Snapshot.Kind kind) throws CatalogException {
        List<Snapshot> l = query("SELECT " + COLUMNS + " FROM snapshots WHERE source = ? AND kind = ? AND status = ?"
                + " ORDER BY finished_ns DESC, id DESC LIMIT 1", source, kind.text(), Snapshot.Status.COMPLETE.text());
        return l.isEmpty() ? null : l.get(0);
    }

    private List<Snapshot> query(String sql, Object... args) throws CatalogException {
        List<Snapshot> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot read snapshots: " + e.getMessage(), e);
        }
    }

    private static Snapshot read(ResultSet rs) throws SQLException {
        return new Snapshot(rs.getLong(1), rs.getString(2),
                Snapshot.Kind.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                Snapshot.Status.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getString(5), rs.getBytes(6),
                rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getInt(12),
                rs.getInt(13), rs.getInt(14), rs.getLong(15), rs.getLong(16), rs.getInt(17), rs.getBytes(18),
                rs.getLong(19), rs.getLong(20), rs.getLong(21), rs.getLong(22), rs.getLong(23), rs.getLong(24));
    }

    private static void setIdOrNull(PreparedStatement ps, int i, long id) throws SQLException {
        if (id == 0) {
            ps.setNull(i, java.sql.Types.INTEGER);
        } else {
            ps.setLong(i, id);
        }
    }
}
