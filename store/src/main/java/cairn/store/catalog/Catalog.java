package cairn.store.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite catalog: one connection and the tables behind it. Not thread-safe: a writer uses one
 * instance from one thread at a time (callers synchronize), and concurrent readers each open their own,
 * which WAL mode lets run beside a writer.
 *
 * <p>A backup writes inside one transaction that commits with the snapshot row, after every segment
 * its chunks live in is sealed: a crash rolls back everything it added to the catalog, so the catalog
 * never names a chunk that is not in a sealed, fsynced segment.
 */
public final class Catalog implements AutoCloseable {
    private final Connection conn;
    private final Path file;
    private final ChunkTable chunks;
    private final SegmentTable segments;
    private final ContentTable contents;
    private final DirTable dirs;
    private final SnapshotTable snapshots;
    private final TargetTable targets;
    private final PlacementTable placements;
    /** This connection's hold on the file's one outside descriptor (see {@link CatalogFileHold}). */
    private final Object hold;

    private Catalog(Connection conn, Path file, Object hold) {
        this.conn = conn;
        this.file = file;
        this.hold = hold;
        this.chunks = new ChunkTable(conn);
        this.segments = new SegmentTable(conn);
        this.contents = new ContentTable(conn);
        this.dirs = new DirTable(conn);
        this.snapshots = new SnapshotTable(conn);
        this.targets = new TargetTable(conn);
        this.placements = new PlacementTable(conn);
    }

    /** Creates a new catalog file; fails if one exists. */
    public static Catalog create(Path file, String repoId) throws CatalogException {
        if (Files.exists(file)) {
            throw new CatalogException("catalog " + file + " already exists");
        }
        Catalog c = connect(file, false, MAIN_CACHE_KIB, false);
        try (Statement st = c.conn.createStatement()) {
            c.conn.setAutoCommit(false);
            for (String ddl : CatalogSchema.DDL) {
                st.execute(ddl);
            }
            c.putMeta("schema_version", Integer.toString(CatalogSchema.VERSION));
            c.putMeta("repository_id", repoId);
            c.conn.commit();
            c.conn.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw new CatalogException("cannot create catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** Page cache of the main connection: the writer's working set of a large backup. */
    private static final int MAIN_CACHE_KIB = 32 << 10;
    /**
     * Page cache of each extra reader connection (restore workers, FUSE threads). A process may hold
     * several and each caches the same hot pages; the kernel's page cache holds the file once for all.
     */
    private static final int READER_CACHE_KIB = 4 << 10;

    /** Opens an existing catalog and checks its schema version. */
    public static Catalog open(Path file, boolean readOnly) throws CatalogException {
        return open(file, readOnly, MAIN_CACHE_KIB);
    }

    /** Opens another connection to a catalog for a reader thread, with a small page cache of its own. */
    public static Catalog openReader(Path file) throws CatalogException {
        return open(file, false, READER_CACHE_KIB);
    }

    private static Catalog open(Path file, boolean readOnly, int cacheKib) throws CatalogException {
        if (!Files.isRegularFile(file)) {
            throw new CatalogException("catalog " + file + " is missing");
        }
        Catalog c = connect(file, readOnly, cacheKib, true);
        try {
            String v = c.meta("schema_version");
            if (v == null) {
                throw new CatalogException("catalog " + file + " has no schema version: not a cairn catalog");
            }
            int version = Integer.parseInt(v);
            if (version > CatalogSchema.VERSION) {
                throw new CatalogException("catalog " + file + " has schema version " + version
                        + ", newer than this cairn supports (" + CatalogSchema.VERSION + "): upgrade cairn");
            }
            if (version < CatalogSchema.VERSION && !readOnly) {
                CatalogUpgrade.run(c.conn);
            }
            return c;
        } catch (SQLException | NumberFormatException e) {
            c.close();
            throw new CatalogException("catalog " + file + " is not readable: " + e.getMessage(), e);
        } catch (CatalogException e) {
            c.close();
            throw e;
        }
    }

    /** {@code exists}: the file is there already, and its header is checked before SQLite opens it. */
    private static Catalog connect(Path file, boolean readOnly, int cacheKib, boolean exists) throws CatalogException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(readOnly);
        cfg.setBusyTimeout(30_000);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setCacheSize(-cacheKib); // negative: KiB, not pages
        cfg.setTempStore(SQLiteConfig.TempStore.FILE);
        if (!readOnly) {
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        Object hold = exists ? CatalogFileHold.acquire(file, true) : null;
        Connection conn = null;
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + SqliteNames.of(file), cfg.toProperties());
            if (hold == null) {
                hold = CatalogFileHold.acquire(file, false);
            }
            try (Statement st = conn.createStatement()) {
                // Fails fast on a file that is not a database at all.
                st.execute("SELECT count(*) FROM sqlite_master");
            }
            return new Catalog(conn, file, hold);
        } catch (SQLException | CatalogException e) {
            closeQuietly(conn);
            if (hold != null) {
                CatalogFileHold.release(hold);
            }
            throw e instanceof CatalogException c ? c
                    : new CatalogException("catalog " + file + " is not a readable SQLite database: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public ChunkTable chunks() {
        return chunks;
    }

    public SegmentTable segments() {
        return segments;
    }

    public ContentTable contents() {
        return contents;
    }

    public DirTable dirs() {
        return dirs;
    }

    public SnapshotTable snapshots() {
        return snapshots;
    }

    public TargetTable targets() {
        return targets;
    }

    public PlacementTable placements() {
        return placements;
    }

    /**
     * Writes a consistent copy of the committed catalog to {@code dst} (which must not exist) while
     * writers may go on: SQLite's {@code VACUUM INTO} reads one snapshot of the database.
     */
    public void copyTo(Path dst) throws CatalogException {
        // On a connection of its own: SQLite refuses VACUUM on one with statements still open, as
        // this one's cached statements may be.
        try (Catalog c = connect(file, true, READER_CACHE_KIB, true); PreparedStatement ps = c.conn.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, SqliteNames.of(dst));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("cannot copy the catalog to " + dst + ": " + e.getMessage(), e);
        }
    }

    public void begin() throws CatalogException {
        try {
            conn.setAutoCommit(false);
        } catch (SQLException e) {
            throw new CatalogException("cannot begin a catalog transaction: " + e.getMessage(), e);
        }
    }

    public void commit() throws CatalogException {
        try {
            conn.commit();
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            throw new CatalogException("cannot commit to the catalog: " + e.getMessage(), e);
        }
    }

    public void rollback() {
        try {
            if (!conn.getAutoCommit()) {
                conn.rollback();
                conn.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // The connection is being abandoned; SQLite rolls back on close.
        }
    }

    /** Runs SQLite's own consistency check; returns "ok" or the problems found. */
    public String integrityCheck() throws CatalogException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(rs.getString(1));
            }
            return sb.toString();
        } catch (SQLException e) {
            throw new CatalogException("catalog integrity check failed: " + e.getMessage(), e);
        }
    }

    /** Rows in one of the catalog's own tables. */
    public long count(String table) throws CatalogException {
        return Sql.scalar(conn, "SELECT count(*) FROM " + checkedTable(table));
    }

    /** The highest row id of one of the catalog's own tables, 0 when it is empty. */
    public long maxId(String table) throws CatalogException {
        return Sql.scalar(conn, "SELECT coalesce(max(id), 0) FROM " + checkedTable(table));
    }

    public long sum(String table, String column) throws CatalogException {
        if (!column.matches("[a-z_]+")) {
            throw new IllegalArgumentException("bad column " + column);
        }
        return Sql.scalar(conn, "SELECT coalesce(sum(" + column + "), 0) FROM " + checkedTable(table));
    }

    private static String checkedTable(String t) {
        if (!java.util.Set.of("segments", "chunks", "contents", "dirs", "entries", "snapshots").contains(t)) {
            throw new IllegalArgumentException("no table " + t);
        }
        return t;
    }

    public String meta(String key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public void putMeta(String key, String value) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        rollback();
        closeQuietly(conn);
        CatalogFileHold.release(hold);
    }

    private static void closeQuietly(Connection conn) {
        if (conn == null) {
            return;
        }
        try {
            conn.close();
        } catch (SQLException ignored) {
            // Nothing left to do with a connection that does not close.
        }
    }
}
