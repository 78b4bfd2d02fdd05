package cairn.store.catalog;

import java.util.List;

/**
 * The catalog's tables. {@link #VERSION} is stored in {@code meta.schema_version}; a catalog with a
 * newer version is refused rather than misread, an older one is upgraded in place on open
 * ({@link CatalogUpgrade}). The schema is described in store/FORMAT.md.
 */
final class CatalogSchema {
    static final int VERSION = 2;

    static final List<String> DDL = List.of(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE segments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                    + " bytes INTEGER NOT NULL DEFAULT 0, chunks INTEGER NOT NULL DEFAULT 0,"
                    + " created_ns INTEGER NOT NULL)",
            "CREATE TABLE chunks(hash BLOB PRIMARY KEY, segment INTEGER NOT NULL, offset INTEGER NOT NULL,"
                    + " stored_len INTEGER NOT NULL, raw_len INTEGER NOT NULL, codec INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE contents(id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, size INTEGER NOT NULL,"
                    + " chunk_list BLOB NOT NULL)",
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
            // Version 2: targets.
            "ALTER TABLE segments ADD COLUMN sha256 BLOB",
            "CREATE TABLE targets(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, uri TEXT NOT NULL,"
                    + " kind TEXT NOT NULL, options TEXT NOT NULL DEFAULT '', added_ns INTEGER NOT NULL,"
                    + " last_success_ns INTEGER NOT NULL DEFAULT 0, free_bytes INTEGER NOT NULL DEFAULT -1,"
                    + " last_error TEXT)",
            "CREATE TABLE placements(segment INTEGER NOT NULL, target INTEGER NOT NULL, bytes INTEGER NOT NULL,"
                    + " sha256 BLOB NOT NULL, placed_ns INTEGER NOT NULL, PRIMARY KEY(segment, target)) WITHOUT ROWID",
            "CREATE INDEX placements_by_target ON placements(target, segment)");

    /**
     * How many statements of {@link #DDL} each version has: a catalog of version v is brought to
     * {@link #VERSION} by running {@code DDL[STATEMENTS_UP_TO[v]..]} (index 0 unused).
     */
    static final int[] STATEMENTS_UP_TO = {0, 9, 13};

    private CatalogSchema() {
    }
}
