package cairn.fs;

import cairn.ingest.BackupOptions;
import cairn.ingest.TreeBackup;
import cairn.store.catalog.Snapshot;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Repositories with real backups, for mount tests. */
final class TestRepos {
    private TestRepos() {
    }

    static Path init(Path dir) throws IOException {
        Repository.init(dir).close();
        return dir;
    }

    static Snapshot backup(Path repoDir, Path source) throws IOException {
        try (Repository repo = Repository.open(repoDir)) {
            return new TreeBackup(repo, BackupOptions.defaults(source)).run().snapshot();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void write(Path p, byte[] data) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }
}
