package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * File contents: an ordered chunk list, stored once however many files (in however many snapshots)
 * hold the same bytes.
 *
 * <p>A content's id is its address: the first 63 bits of SHA-256 of its encoded chunk list (never 0).
 * Keying the rows by that id saves a separate hash column and its unique index, which together cost
 * more than the chunk list of a small file. Two different lists whose ids collide (about 2^-63 per pair)
 * take the next free id in a window of {@link #WINDOW} ids, so interning reads that window and compares
 * chunk lists; being a range scan, it still works once rows can be deleted. Rows written by schema
 * version 1 keep their small sequential ids and are found by id, not by interning.
 */
public final class ContentTable {
    static final int WINDOW = 16;
    private final Connection conn;
    private PreparedStatement window;
    private PreparedStatement insert;
    private PreparedStatement get;

    ContentTable(Connection conn) {
        this.conn = conn;
    }

    public record Content(long id, long size, ChunkList chunks) {
    }

    /** Where a chunk list's row lives, unless a colliding list already took that id. */
    static long address(byte[] encodedList) {
        byte[] hash = ChunkId.newDigest().digest(encodedList);
        long id = ByteBuffer.wrap(hash).getLong() & Long.MAX_VALUE;
        return Math.max(1, Math.min(id, Long.MAX_VALUE - WINDOW));
    }

    /** The id of the content with this chunk list, adding it when new. */
    public long intern(ChunkList list) throws CatalogException {
        byte[] encoded = list.encoded();
        long base = address(encoded);
        try {
            if (window == null) {
                window = conn.prepareStatement(
                        "SELECT id, chunk_list FROM contents WHERE id >= ? AND id < ? ORDER BY id");
                insert = conn.prepareStatement("INSERT INTO contents(id, size, chunk_list) VALUES (?, ?, ?)");
            }
            window.setLong(1, base);
            window.setLong(2, base + WINDOW);
            long free = base;
            try (ResultSet rs = window.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (Arrays.equals(encoded, rs.getBytes(2))) {
                        return id;
                    }
                    if (id == free) {
                        free++;
                    }
                }
            }
            if (free >= base + WINDOW) {
                throw new CatalogException("content ids " + base + " to " + (base + WINDOW - 1) + " are all taken");
            }
            insert.setLong(1, free);
            insert.setLong(2, list.size());
            insert.setBytes(3, encoded);
            insert.executeUpdate();
            return free;
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
