package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup killed with SIGKILL after it has sealed a segment leaves a repository the next backup
 * simply continues: it succeeds, reuses the sealed data, and check --read-data finds nothing wrong.
 */
class KillMidBackupTest {
    private static final long TREE_BYTES = 200L << 20;
    private static final long SEGMENT_BYTES = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void theNextBackupAfterKill9SucceedsAndReusesSealedSegments() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 8; i++) {
            Trees.writeRandom(src.resolve("part" + i + ".bin"), 1000 + i, TREE_BYTES / 8);
        }
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");

        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Process p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "backup", src.toString());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (sealedSegments(repo) == 0 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the backup ended before a segment was sealed or could be killed; stderr: "
                + Files.readString(logs.resolve("stderr")));
        assertTrue(sealedSegments(repo) > 0, "no segment was sealed within two minutes");
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor();
        assertEquals(137, p.exitValue(), "the backup was not killed by SIGKILL (it may have finished first)");
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()),
                "a killed backup must not leave a snapshot");

        Cli.Result again = Cli.expect(0, repo, "backup", src.toString());
        Map<String, Object> snap = Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).get(0);
        assertEquals("complete", snap.get("status"));
        assertEquals(TREE_BYTES, snap.get("bytes"));
        long fresh = (Long) snap.get("new_bytes");
        assertTrue(fresh <= TREE_BYTES - SEGMENT_BYTES * 9 / 10,
                "the sealed segment's chunks were not reused: " + fresh + " new bytes of " + TREE_BYTES + "\n" + again);

        Cli.Result check = Cli.expect(0, repo, "check", "--read-data");
        assertTrue(check.out().contains("no problems found"), check.toString());
        Cli.expect(0, repo, "verify", "latest", src.toString());
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertEquals(List.of(), s.toList(), "unsealed segments of the killed backup were left in tmp/");
        }
        // The repository holds the tree about once: no orphaned duplicate data kept beside the new copy.
        long stored = (Long) Json.object(Cli.expect(0, repo, "stats", "--json").out()).get("segment_bytes");
        assertTrue(stored < TREE_BYTES * 11 / 10, "stored " + stored + " bytes for a " + TREE_BYTES + " byte tree");
        assertFalse(again.err().contains("cairn: "), again.err());
    }

    private static long sealedSegments(Path repo) throws Exception {
        Path dir = repo.resolve("segments");
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return 0; // a directory appeared or vanished while we looked
        }
    }
}
