package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.repo.RepoLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --pre-hook and --post-hook around tree and image backups: order, environment, failures, the writer lock. */
class BackupHooksTest {
    @TempDir
    Path tmp;
    Path repo;
    Path log;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        log = tmp.resolve("hooks.log");
        Cli.expect(0, repo, "init");
    }

    private String pre() {
        return "echo \"pre source=$CAIRN_SOURCE snapshot=${CAIRN_SNAPSHOT-unset}\" >> " + log;
    }

    private String post() {
        return "echo \"post source=$CAIRN_SOURCE snapshot=$CAIRN_SNAPSHOT status=$CAIRN_STATUS\" >> " + log;
    }

    private List<String> logLines() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void hooksRunBeforeAndAfterAnImageBackupWithItsSourceAndSnapshot() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("disk.img"), 1, 3 << 20);
        // The pre-hook is where an LVM snapshot would be made: here it writes the image's last bytes.
        Cli.Result r = Cli.expect(0, repo, "backup", "--image", img.toString(),
                "--pre-hook", pre() + " && printf tail >> " + img + " && echo hook talks",
                "--post-hook", post());
        String id = r.lastOutLine();
        assertEquals(List.of("pre source=" + img + " snapshot=unset",
                "post source=" + img + " snapshot=" + id + " status=complete"), logLines());
        assertTrue(r.err().contains("hook talks"), "hook output goes to stderr: " + r);
        assertEquals(3L * (1 << 20) + 4, Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).get(0).get("bytes"),
                "the backup reads the source as the pre-hook left it");
    }

    @Test
    void hooksRunAroundATreeBackupToo() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "x");
        String id = Cli.expect(0, repo, "backup", src.toString(), "--pre-hook", pre(), "--post-hook", post())
                .lastOutLine();
        assertEquals(List.of("pre source=" + src + " snapshot=unset",
                "post source=" + src + " snapshot=" + id + " status=complete"), logLines());
    }

    @Test
    void thePostHookRunsAfterAFailedBackup() throws Exception {
        Path missing = tmp.resolve("no-such.img");
        Cli.Result r = Cli.run(repo, "backup", "--image", missing.toString(), "--pre-hook", pre(), "--post-hook", post());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("pre source=" + missing + " snapshot=unset",
                "post source=" + missing + " snapshot= status=failed"), logLines());
        assertTrue(r.err().contains("does not exist"), r.toString());
    }

    @Test
    void aFailingPreHookAbortsTheBackupAndLeavesNoSnapshot() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("disk.img"), 1, 1 << 20);
        Cli.Result r = Cli.run(repo, "backup", "--image", img.toString(), "--pre-hook", pre() + "; exit 7",
                "--post-hook", post());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.errLines().get(r.errLines().size() - 1).matches("cairn: pre-hook failed with exit status 7: .*"),
                r.toString());
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        // The post-hook still runs, so whatever the pre-hook half made can be cleaned up.
        assertEquals(List.of("pre source=" + img + " snapshot=unset", "post source=" + img + " snapshot= status=failed"),
                logLines());
    }

    @Test
    void aFailingPostHookIsReportedAndFailsAnOtherwiseGoodBackup() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("disk.img"), 1, 1 << 20);
        Cli.Result r = Cli.run(repo, "backup", "--image", img.toString(), "--post-hook", "exit 5");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("post-hook failed with exit status 5"), r.toString());
        // The snapshot itself was saved; its id is still the last line on stdout.
        List<java.util.Map<String, Object>> snaps = Json.array(Cli.expect(0, repo, "snapshots", "--json").out());
        assertEquals(1, snaps.size());
        assertEquals(snaps.get(0).get("id"), r.lastOutLine());
    }

    @Test
    void bothHooksRunUnderTheWritersLock() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "x");
        // The lock file names its holder only while the lock is held.
        String holder = "echo \"$(cat $CAIRN_REPO/lock)\" >> " + log;
        Cli.expect(0, repo, "backup", src.toString(), "--pre-hook", holder, "--post-hook", holder);
        List<String> lines = logLines();
        assertEquals(2, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.contains("pid " + ProcessHandle.current().pid() + ","), "a hook ran without the lock: " + lines);
        }
    }

    @Test
    void aRunThatCannotTakeTheLockRunsNeitherHook() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Proc.Output o;
        // Another writer, as a backup still reading a snapshot its pre-hook made, holds the lock.
        try (RepoLock held = RepoLock.acquire(repo.resolve("lock"), Duration.ZERO)) {
            Process p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "backup", src.toString(),
                    "--pre-hook", pre(), "--post-hook", post());
            o = Proc.waitFor(p, logs, 60);
        }
        assertEquals(1, o.code(), o.toString());
        assertEquals(List.of(), logLines(), "a hook ran without the lock");
        List<String> err = Cli.lines(o.err());
        assertEquals(1, err.size(), o.err());
        assertTrue(err.get(0).startsWith("cairn: repository is locked by another writer"), err.get(0));
        assertTrue(err.get(0).endsWith("(--pre-hook and --post-hook not run)"), err.get(0));
    }

    @Test
    void aBlockSizeForWhatThePreHookLeftADirectoryFailsAndThePostHookRuns() throws Exception {
        Path src = tmp.resolve("src");
        Cli.Result r = Cli.run(repo, "backup", "--block-size", "64K", src.toString(),
                "--pre-hook", pre() + " && mkdir " + src, "--post-hook", post());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: --block-size is for image backups (--image FILE or a block device)"), r.errLines());
        assertEquals(List.of("pre source=" + src + " snapshot=unset", "post source=" + src + " snapshot= status=failed"),
                logLines());
    }
}
