package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that keeps the catalog open for long, as the mount does, with a connection per reader
 * thread: backups by other processes must not checkpoint its write-ahead log away from under it.
 * Opening and closing the catalog file by any other descriptor in this process would drop the POSIX
 * locks its SQLite connections hold, so the next writer to close would believe it is alone, and the
 * mount saw a deleted log and then "database disk image is malformed".
 */
class LongLivedReaderTest {
    @TempDir
    Path tmp;

    @Test
    void backupsByOtherProcessesReachAReaderThatOpensConnectionsAsItGoes() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "1\n");
        Cli.expect(0, repo, "init");
        Cli.expect(0, repo, "backup", src.toString());
        Path db = repo.resolve("catalog.db");
        try (Catalog main = Catalog.open(db, false)) {
            for (int round = 2; round <= 4; round++) {
                try (Catalog reader = Catalog.openReader(db)) {
                    assertEquals(round - 1, reader.snapshots().all().size());
                    Files.writeString(src.resolve("a"), round + "\n");
                    Proc.Output backup = Proc.run(tmp, Proc.cairnCommand(List.of(), null, "--repo", repo.toString(),
                            "backup", src.toString()));
                    assertEquals(0, backup.code(), backup.toString());
                    assertTrue(Files.exists(repo.resolve("catalog.db-wal")),
                            "round " + round + ": the other process removed the log this one still reads");
                    assertEquals(round, main.snapshots().all().size(), "round " + round);
                    assertEquals(round, reader.snapshots().all().size(), "round " + round);
                }
            }
        }
    }
}
