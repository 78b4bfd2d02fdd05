package cairn.store.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Directory listings, content-addressed: a listing's hash covers every entry (names, metadata, content
 * and subdirectory ids), so an unchanged directory in the next snapshot finds its old row and adds
 * nothing. Entries are keyed by (dir, name), so a lookup is one index seek whatever the directory's size.
 */
public final class DirTable {
    private final Connection conn;
    private PreparedStatement findHash;
    private PreparedStatement insertDir;
    private PreparedStatement insertEntry;
    private PreparedStatement lookup;
    private PreparedStatement list;
    private PreparedStatement listAfter;

    private static final String COLUMNS = "name, type, mode, uid, gid, size, mtime_ns, ctime_ns, ino, dev, nlink,"
            + " rdev, content, subdir, target";

    DirTable(Connection conn) {
        this.conn = conn;
    }

    /** The id of the listing with this hash, or 0. */
    public long findByHash(byte[] hash) throws CatalogException {
        try {
            if (findHash == null) {
                findHash = conn.prepareStatement("SELECT id FROM dirs WHERE hash = ?");
            }
            findHash.setBytes(1, hash);
            try (ResultSet rs = findHash.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot look up a directory listing: " + e.getMessage(), e);
        }
    }

    /** Stores a new listing; entries must have distinct names. */
    public long insert(byte[] hash, List<Entry> entries) throws CatalogException {
        try {
            if (insertDir == null) {
                insertDir = conn.prepareStatement("INSERT INTO dirs(hash, entry_count) VALUES (?, ?)",
                        PreparedStatement.RETURN_GENERATED_KEYS);
                insertEntry = conn.prepareStatement("INSERT INTO entries(dir, " + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            }
            insertDir.setBytes(1, hash);
            insertDir.setInt(2, entries.size());
            insertDir.executeUpdate();
            long id;
            try (ResultSet rs = insertDir.getGeneratedKeys()) {
                rs.next();
                id = rs.getLong(1);
            }
            for (Entry e : entries) {
                PreparedStatement ps = insertEntry;
                ps.setLong(1, id);
                ps.setBytes(2, e.name());
                ps.setInt(3, e.type().id());
                ps.setInt(4, e.mode());
                ps.setInt(5, e.uid());
                ps.setInt(6, e.gid());
                ps.setLong(7, e.size());
                ps.setLong(8, e.mtimeNs());
                ps.setLong(9, e.ctimeNs());
                ps.setLong(10, e.ino());
                ps.setLong(11, e.dev());
                ps.setInt(12, e.nlink());
                ps.setLong(13, e.rdev());
                setIdOrNull(ps, 14, e.content());
                setIdOrNull(ps, 15, e.subdir());
                ps.setBytes(16, e.target());
                ps.executeUpdate();
            }
            return id;
        } catch (SQLException e) {
            throw new CatalogException("cannot record a directory listing: " + e.getMessage(), e);
        }
    }

    /** The entry named {@code name} in directory {@code dir}, or null. */
    public Entry lookup(long dir, byte[] name) throws CatalogException {
        try {
            if (lookup == null) {
                lookup = conn.prepareStatement("SELECT " + COLUMNS + " FROM entries WHERE dir = ? AND name = ?");
            }
            lookup.setLong(1, dir);
            lookup.setBytes(2, name);
            try (ResultSet rs = lookup.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot look up a directory entry: " + e.getMessage(), e);
        }
    }

    /** All entries of a directory, sorted by name bytes. */
    public List<Entry> list(long dir) throws CatalogException {
        return listPage(dir, null, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code limit} entries with names after {@code after} (null: from the start), sorted by name
     * bytes: lets a caller walk a huge directory in bounded memory.
     */
    public List<Entry> listPage(long dir, byte[] after, int limit) throws CatalogException {
        try {
            PreparedStatement ps;
            if (after == null) {
                if (list == null) {
                    list = conn.prepareStatement("SELECT " + COLUMNS + " FROM entries WHERE dir = ? ORDER BY name LIMIT ?");
                }
                ps = list;
                ps.setLong(1, dir);
                ps.setInt(2, limit);
            } else {
                if (listAfter == null) {
                    listAfter = conn.prepareStatement("SELECT " + COLUMNS
                            + " FROM entries WHERE dir = ? AND name > ? ORDER BY name LIMIT ?");
                }
                ps = listAfter;
                ps.setLong(1, dir);
                ps.setBytes(2, after);
                ps.setInt(3, limit);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogException("cannot list directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Entry read(ResultSet rs) throws SQLException {
        return new Entry(rs.getBytes(1), EntryType.fromId(rs.getInt(2)), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getInt(11),
                rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getBytes(15));
    }

    private static void setIdOrNull(PreparedStatement ps, int i, long id) throws SQLException {
        if (id == 0) {
            ps.setNull(i, java.sql.Types.INTEGER);
        } else {
            ps.setLong(i, id);
        }
    }
}
