package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore killed with SIGKILL never leaves a truncated file under its real name, and running it
 * again brings back exactly the snapshot.
 */
class KillMidRestoreTest {
    @TempDir
    Path tmp;

    Path src;
    Path repo;
    Path dst;
    String id;

    /** Backs up 180 MB and kills a restore of it (in a JVM of its own) once a file is partly written. */
    private void killMidRestore() throws Exception {
        src = tmp.resolve("src");
        for (int i = 0; i < 6; i++) {
            Trees.writeRandom(src.resolve("part" + i + ".bin"), 2000 + i, 30L << 20);
        }
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        id = Cli.backup(repo, src);

        dst = tmp.resolve("dst");
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Process p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "restore", id, dst.toString());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline && !partlyWritten(dst)) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the restore ended before it could be killed: "
                + Files.readString(logs.resolve("stderr")));
        p.destroyForcibly();
        p.waitFor();
        assertEquals(137, p.exitValue());
    }

    @Test
    void aKilledRestoreLeavesOnlyWholeFilesUnderRealNames() throws Exception {
        killMidRestore();
        Map<String, String> want = Trees.fingerprint(src);
        Map<String, String> got = Trees.fingerprint(dst);
        assertTrue(got.keySet().stream().anyMatch(k -> k.startsWith(".cairn-restore")),
                "expected the killed restore's temporary files: " + got.keySet());
        for (Map.Entry<String, String> e : got.entrySet()) {
            if (e.getKey().startsWith(".cairn-restore") || e.getKey().equals("/")) {
                continue;
            }
            assertEquals(want.get(e.getKey()), e.getValue(), e.getKey() + " is under its real name but not whole");
        }
    }

    /** Running the restore again must give exactly the snapshot, without the killed run's partial files. */
    @Test
    void restoringAgainAfterAKillLeavesNoPartialFilesBehind() throws Exception {
        killMidRestore();
        Cli.expect(0, repo, "restore", id, dst.toString());
        Cli.Result v = Cli.run(repo, "verify", id, dst.toString());
        assertEquals(0, v.code(), "after a second restore the target still differs from the snapshot: " + v);
    }

    /** True once some file in {@code dir} has data in it: the restore is mid-way. */
    private static boolean partlyWritten(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> {
                try {
                    return Files.size(f) > (4L << 20);
                } catch (java.io.IOException e) {
                    return false; // renamed or removed while we looked
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
