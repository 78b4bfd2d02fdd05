package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/** Chunk id → location in a segment. */
public final class ChunkTable {
    private final Connection conn;
    private PreparedStatement insert;
    private PreparedStatement exists;
    private PreparedStatement locate;

    ChunkTable(Connection conn) {
        this.conn = conn;
    }

    /** Records a chunk; returns false when the id is already known (the row is left as it was). */
    public boolean insert(ChunkId id, long segment, long offset, int storedLength, int rawLength, Codec codec)
            throws CatalogException {
        try {
            if (insert == null) {
                insert = conn.prepareStatement("INSERT OR IGNORE INTO chunks(hash, segment, offset, stored_len,"
                        + " raw_len, codec) VALUES (?, ?, ?, ?, ?, ?)");
            }
            insert.setBytes(1, id.toBytes());
            insert.setLong(2, segment);
            insert.setLong(3, offset);
            insert.setInt(4, storedLength);
            insert.setInt(5, rawLength);
            insert.setInt(6, codec.id());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new CatalogException("cannot record chunk " + id + ": " + e.getMessage(), e);
        }
    }

    public boolean contains(ChunkId id) throws CatalogException {
        try {
            if (exists == null) {
                exists = conn.prepareStatement("SELECT 1 FROM chunks WHERE hash = ?");
            }
            exists.setBytes(1, id.toBytes());
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot look up chunk " + id + ": " + e.getMessage(), e);
        }
    }

    /** The chunk's location, or null when the catalog does not know it. */
    public ChunkLocation locate(ChunkId id) throws CatalogException {
        try {
            if (locate == null) {
                locate = conn.prepareStatement("SELECT c.segment, s.name, c.offset, c.stored_len, c.raw_len, c.codec"
                        + " FROM chunks c JOIN segments s ON s.id = c.segment WHERE c.hash = ?");
            }
            locate.setBytes(1, id.toBytes());
            try (ResultSet rs = locate.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new ChunkLocation(id, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                        rs.getInt(5), Codec.fromId(rs.getInt(6)));
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot look up chunk " + id + ": " + e.getMessage(), e);
        }
    }

    /** Streams the first 8 bytes of every known chunk id (to fill the in-memory dedup filter). */
    public void forEachPrefix(java.util.function.LongConsumer sink) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT hash FROM chunks"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byte[] h = rs.getBytes(1);
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v = (v << 8) | (h[i] & 0xff);
                }
                sink.accept(v);
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot read the chunk table: " + e.getMessage(), e);
        }
    }

    /** Every chunk with its location, in segment order (for check --read-data). */
    public void forEach(Consumer<ChunkLocation> sink) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT c.hash, c.segment, s.name, c.offset, c.stored_len,"
                + " c.raw_len, c.codec FROM chunks c JOIN segments s ON s.id = c.segment ORDER BY c.segment, c.offset");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(new ChunkLocation(ChunkId.fromBytes(rs.getBytes(1)), rs.getLong(2), rs.getString(3),
                        rs.getLong(4), rs.getInt(5), rs.getInt(6), Codec.fromId(rs.getInt(7))));
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot read the chunk table: " + e.getMessage(), e);
        }
    }

    public long count() throws CatalogException {
        return Sql.scalar(conn, "SELECT count(*) FROM chunks");
    }
}
