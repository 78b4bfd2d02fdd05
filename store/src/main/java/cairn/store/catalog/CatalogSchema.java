package cairn.store.catalog;

import java.util.List;

/**
 * The catalog's tables. {@link #VERSION} is stored in {@code meta.schema_version}; a catalog with a
 * newer version is refused rather than misread, an older one is upgraded in place on open by the
 * steps in {@link #UPGRADES} ({@link CatalogUpgrade}). {@link #DDL} creates the current schema. The
 * schema is described in store/FORMAT.md.
 */
final class CatalogSchema {
    static final int VERSION = 3;

    private static final String TARGETS = "CREATE TABLE targets(id INTEGER PRIMARY KEY,"
            + " name TEXT NOT NULL UNIQUE, uri TEXT NOT NULL, kind TEXT NOT NULL, options TEXT NOT NULL DEFAULT '',"
            + " added_ns INTEGER NOT NULL, last_success_ns INTEGER NOT NULL DEFAULT 0,"
            + " free_bytes INTEGER NOT NULL DEFAULT -1, last_error TEXT)";
    private static final String PLACEMENTS = "CREATE TABLE placements(segment INTEGER NOT NULL,"
            + " target INTEGER NOT NULL, bytes INTEGER NOT NULL, sha256 BLOB NOT NULL, placed_ns INTEGER NOT NULL,"
            + " PRIMARY KEY(segment, target)) WITHOUT ROWID";
    private static final String PLACEMENTS_BY_TARGET = "CREATE INDEX placements_by_target ON placements(target, segment)";

    static final List<String> DDL = List.of(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE segments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                    + " bytes INTEGER NOT NULL DEFAULT 0, chunks INTEGER NOT NULL DEFAULT 0,"
                    + " created_ns INTEGER NOT NULL, sha256 BLOB)",
            "CREATE TABLE chunks(hash BLOB PRIMARY KEY, segment INTEGER NOT NULL, offset INTEGER NOT NULL,"
                    + " stored_len INTEGER NOT NULL, raw_len INTEGER NOT NULL, codec INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE contents(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, chunk_list BLOB NOT NULL)",
            "CREATE TABLE dirs(id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, entry_count INTEGER NOT NULL)",
            "CREATE TABLE entries(dir INTEGER NOT NULL, name BLOB NOT NULL, type INTEGER NOT NULL,"
                    + " mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL,"
                    + " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,"
                    + " dev INTEGER NOT NULL, nlink INTEGER NOT NULL, rdev INTEGER NOT NULL,"
                    + " content INTEGER, subdir INTEGER, target BLOB, PRIMARY KEY(dir, name)) WITHOUT ROWID",
            "CREATE TABLE snapshots(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
                    + " status TEXT NOT NULL, label TEXT, source BLOB NOT NULL, host TEXT NOT NULL,"
                    + " started_ns INTEGER NOT NULL, finished_ns INTEGER NOT NULL, parent INTEGER,"
                    + " root_dir INTEGER, root_mode INTEGER NOT NULL DEFAULT 0, root_uid INTEGER NOT NULL DEFAULT 0,"
                    + " root_gid INTEGER NOT NULL DEFAULT 0, root_mtime_ns INTEGER NOT NULL DEFAULT 0,"
                    + " content INTEGER, block_size INTEGER, image_sha256 BLOB,"
                    + " files INTEGER NOT NULL DEFAULT 0, dirs INTEGER NOT NULL DEFAULT 0,"
                    + " bytes INTEGER NOT NULL DEFAULT 0, new_bytes INTEGER NOT NULL DEFAULT 0,"
                    + " stored_bytes INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0)",
            "CREATE TABLE snapshot_errors(snapshot INTEGER NOT NULL, path BLOB NOT NULL, reason TEXT NOT NULL)",
            "CREATE INDEX snapshot_errors_by_snapshot ON snapshot_errors(snapshot)",
            TARGETS, PLACEMENTS, PLACEMENTS_BY_TARGET);

    /**
     * The statements that take a catalog from version {@code i + 1} to {@code i + 2}, run in one
     * transaction with the version update.
     */
    static final List<List<String>> UPGRADES = List.of(
            // 1 → 2: contents are keyed by their hash-derived id; the hash column and its index go.
            List.of("CREATE TABLE contents_v2(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, chunk_list BLOB NOT NULL)",
                    "INSERT INTO contents_v2(id, size, chunk_list) SELECT id, size, chunk_list FROM contents",
                    "DROP TABLE contents",
                    "ALTER TABLE contents_v2 RENAME TO contents"),
            // 2 → 3: targets, placements, and each segment's whole-file SHA-256.
            List.of("ALTER TABLE segments ADD COLUMN sha256 BLOB", TARGETS, PLACEMENTS, PLACEMENTS_BY_TARGET));

    private CatalogSchema() {
    }
}
