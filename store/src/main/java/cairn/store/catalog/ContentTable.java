package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * File contents: an ordered chunk list, stored once however many files (in however many snapshots)
 * hold the same bytes. A content's hash is SHA-256 of its encoded chunk list.
 */
public final class ContentTable {
    private final Connection conn;
    private PreparedStatement find;
    private PreparedStatement insert;
    private PreparedStatement get;

    ContentTable(Connection conn) {
        this.conn = conn;
    }

    public record Content(long id, long size, ChunkList chunks) {
    }

    /** The id of the content with this chunk list, adding it when new. */
    public long intern(ChunkList list) throws CatalogException {
        MessageDigest md = ChunkId.newDigest();
        byte[] hash = md.digest(list.encoded());
        try {
            if (find == null) {
                find = conn.prepareStatement("SELECT id FROM contents WHERE hash = ?");
                insert = conn.prepareStatement("INSERT INTO contents(hash, size, chunk_list) VALUES (?, ?, ?)",
                        PreparedStatement.RETURN_GENERATED_KEYS);
            }
            find.setBytes(1, hash);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            insert.setBytes(1, hash);
            insert.setLong(2, list.size());
            insert.setBytes(3, list.encoded());
            insert.executeUpdate();
            try (ResultSet rs = insert.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot record a file's content: " + e.getMessage(), e);
        }
    }

    /** Every content row, in id order (for check). */
    public void forEach(java.util.function.Consumer<Content> sink) throws CatalogException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, size, chunk_list FROM contents ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(new Content(rs.getLong(1), rs.getLong(2), ChunkList.decode(rs.getBytes(3))));
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot read the content table: " + e.getMessage(), e);
        }
    }

    public Content get(long id) throws CatalogException {
        try {
            if (get == null) {
                get = conn.prepareStatement("SELECT size, chunk_list FROM contents WHERE id = ?");
            }
            get.setLong(1, id);
            try (ResultSet rs = get.executeQuery()) {
                if (!rs.next()) {
                    throw new CatalogException("catalog names content " + id + " but has no such row");
                }
                return new Content(id, rs.getLong(1), ChunkList.decode(rs.getBytes(2)));
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot read content " + id + ": " + e.getMessage(), e);
        }
    }
}
