package cairn.store.repo;

import java.nio.file.Path;

/**
 * Where things live in a repository directory:
 * <pre>
 *   cairn-repository      marker: format name, version, repository id (text)
 *   catalog.db            the SQLite catalog (+ -wal, -shm)
 *   segments/ab/NAME.seg  sealed segments, fanned out by the first two hex digits of their name
 *   tmp/                  segments being written; anything here after a crash is garbage
 *   lock                  the writer lock
 *   cache/                blocks of segments read from targets (bounded; safe to delete)
 * </pre>
 */
public record RepoLayout(Path root) {
    public Path marker() {
        return root.resolve("cairn-repository");
    }

    public Path catalog() {
        return root.resolve("catalog.db");
    }

    public Path segmentsDir() {
        return root.resolve("segments");
    }

    public Path segment(String name) {
        return segmentsDir().resolve(name.substring(0, 2)).resolve(name + ".seg");
    }

    public Path tmpDir() {
        return root.resolve("tmp");
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path lock() {
        return root.resolve("lock");
    }
}
