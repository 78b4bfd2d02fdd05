package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (timeout, systemctl stop, kill) or SIGINT (Ctrl-C) during a backup with hooks: the post-hook
 * runs exactly once, with the writer lock still held (CAIRN_STATUS=interrupted when the signal came
 * first), and cairn then exits with the signal's status, leaving no snapshot and a repository that
 * checks clean.
 */
class BackupSignalTest {
    /** Random data at zstd level 19: tens of seconds on two cores, so the signal lands mid-backup. */
    private static final long SLOW_IMAGE_BYTES = 128L << 20;

    @TempDir
    Path tmp;
    Path repo;
    Path log;
    Path logs;

    @BeforeEach
    void init() throws Exception {
        repo = tmp.resolve("repo");
        log = tmp.resolve("hooks.log");
        logs = Files.createDirectories(tmp.resolve("logs"));
        Cli.expect(0, repo, "init");
    }

    /** The post-hook's line: its status, its snapshot, and the lock file, which names a holder only while held. */
    private String post(String name) {
        return "echo \"" + name + " status=$CAIRN_STATUS snapshot=$CAIRN_SNAPSHOT $(cat $CAIRN_REPO/lock)\" >> " + log;
    }

    @Test
    void sigtermDuringTheBackupRunsThePostHookThenExitsWith143() throws Exception {
        interruptMidBackup("TERM", 143);
    }

    @Test
    void sigintDuringTheBackupRunsThePostHookThenExitsWith130() throws Exception {
        interruptMidBackup("INT", 130);
    }

    @Test
    void aBackupWithoutHooksStoppedBySigtermSaysSoAndSavesNothing() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 6, SLOW_IMAGE_BYTES);
        Process p = startBackup(image, "--compression", "19");
        try {
            Thread.sleep(2500); // past the start, into the backup
            assertTrue(p.isAlive(), "the backup ended before the signal: " + Files.readString(logs.resolve("stderr")));
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 120);
            assertEquals(143, o.code(), o.toString());
            assertEquals(List.of("cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        Cli.expect(0, repo, "check");
    }

    private void interruptMidBackup(String signal, int expectedExit) throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 5, SLOW_IMAGE_BYTES);
        Process p = startBackup(image, "--compression", "19", "--pre-hook", "echo pre >> " + log,
                "--post-hook", post("post"));
        try {
            if (signal.equals("INT")) {
                // A shell starting a job in the background makes it ignore SIGINT, and the JVM keeps that.
                Require.that(!ignoresSigint(p), "SIGINT is ignored by processes started here");
            }
            awaitLogLine(p, "pre");
            Thread.sleep(1500); // into the backup itself, well past the pre-hook
            assertTrue(p.isAlive(), "the backup ended before the signal: " + Files.readString(logs.resolve("stderr")));
            Proc.sh(tmp, "kill -" + signal + " " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 120);
            assertEquals(expectedExit, o.code(), o.toString());
            List<String> lines = Files.readAllLines(log);
            assertEquals(2, lines.size(), "the post-hook ran " + (lines.size() - 1) + " times: " + lines + "\n" + o);
            assertTrue(lines.get(1).startsWith("post status=interrupted snapshot= host "), lines.toString());
            assertTrue(lines.get(1).contains("pid " + p.pid() + ","),
                    "the post-hook ran after the writer lock was released: " + lines);
            assertEquals(List.of("cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        Cli.expect(0, repo, "check");
    }

    @Test
    void aSignalDuringThePreHookStopsItAndRunsThePostHook() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 6, 1 << 20);
        Process p = startBackup(image, "--pre-hook", "echo pre >> " + log + "; sleep 5",
                "--post-hook", post("post"));
        try {
            awaitLogLine(p, "pre");
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 60);
            assertEquals(143, o.code(), o.toString());
            List<String> lines = Files.readAllLines(log);
            assertEquals(2, lines.size(), lines + "\n" + o);
            assertTrue(lines.get(1).startsWith("post status=interrupted snapshot= host "), lines.toString());
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
    }

    @Test
    void aSignalDuringThePreHookStopsWhatItStartedBeforeThePostHookRuns() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 9, 1 << 20);
        Path child = tmp.resolve("child.pid");
        // The post-hook notes whether the pre-hook's child still runs: it is what an lvremove would race with.
        Process p = startBackup(image, "--pre-hook", "sleep 60 & echo $! > " + child + "; echo pre >> " + log
                + "; wait", "--post-hook", "echo \"post $(cut -d' ' -f3 /proc/$(cat " + child + ")/stat 2>/dev/null)\" >> " + log);
        long sleepPid = 0;
        try {
            awaitLogLine(p, "pre");
            sleepPid = Long.parseLong(Files.readString(child).trim());
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 60);
            assertEquals(143, o.code(), o.toString());
            List<String> lines = Files.readAllLines(log);
            assertEquals(2, lines.size(), lines + "\n" + o);
            // Gone (no state), or a zombie not yet reaped.
            assertTrue(lines.get(1).matches("post Z?"), "the pre-hook's child ran on into the post-hook: " + lines);
        } finally {
            p.destroyForcibly();
            if (sleepPid != 0) {
                ProcessHandle.of(sleepPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aSignalDuringThePostHookLetsItFinishAndDoesNotRunItAgain() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 7, 1 << 20);
        Process p = startBackup(image, "--post-hook", post("post") + "; sleep 2; echo post-done >> " + log);
        try {
            awaitLogLine(p, "post");
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 60);
            assertEquals(143, o.code(), o.toString());
            List<String> lines = Files.readAllLines(log);
            assertEquals(2, lines.size(), "the post-hook did not run exactly once, to its end: " + lines + "\n" + o);
            assertTrue(lines.get(0).matches("post status=complete snapshot=[0-9a-f]+ host .*pid " + p.pid() + ",.*"),
                    lines.toString());
            assertEquals("post-done", lines.get(1));
            assertEquals(List.of("cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
        }
        // The snapshot was committed before the post-hook began.
        assertEquals(1, Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).size());
    }

    @Test
    void aSecondSignalStopsARunningPostHookWithWhatItStartedBeforeCairnExits() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 10, 1 << 20);
        Process p = startBackup(image, "--post-hook", slowPostHook());
        long[] hook = {};
        try {
            // Ctrl-C twice: the first lets the post-hook go on, the second stops it.
            Require.that(!ignoresSigint(p), "SIGINT is ignored by processes started here");
            awaitLogLine(p, "post");
            hook = postHookProcesses();
            Proc.sh(tmp, "kill -INT " + p.pid());
            Thread.sleep(1500);
            assertTrue(p.isAlive() && running(hook[0]) && running(hook[1]),
                    "the first signal did not let the post-hook go on: " + Files.readString(logs.resolve("stderr")));
            Proc.sh(tmp, "kill -INT " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 60);
            assertEquals(130, o.code(), o.toString());
            assertFalse(running(hook[0]) || running(hook[1]), "the post-hook outlived cairn: " + o);
            assertEquals(List.of("cairn: post-hook stopped by a second signal: " + slowPostHook(),
                    "cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
            killAll(hook);
        }
    }

    /** The signal came first and runs the post-hook itself: a second one stops that run too, at once. */
    @Test
    void aSecondSignalStopsThePostHookThatTheFirstRan() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 12, 1 << 20);
        Process p = startBackup(image, "--pre-hook", "echo pre >> " + log + "; sleep 30", "--post-hook", slowPostHook());
        long[] hook = {};
        try {
            awaitLogLine(p, "pre");
            Proc.sh(tmp, "kill -TERM " + p.pid());
            awaitLogLine(p, "post");
            hook = postHookProcesses();
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 60);
            assertEquals(143, o.code(), o.toString());
            assertFalse(running(hook[0]) || running(hook[1]), "the post-hook outlived cairn: " + o);
            assertEquals(List.of("cairn: post-hook stopped by a second signal: " + slowPostHook(),
                    "cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
            killAll(hook);
        }
    }

    /** One signal, and a post-hook that will not end: it is stopped once its time is up, never left behind. */
    @Test
    void aPostHookStillRunningPastItsTimeAfterASignalIsStoppedBeforeCairnExits() throws Exception {
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 11, 1 << 20);
        Process p = startBackup(image, "--post-hook", slowPostHook());
        long[] hook = {};
        try {
            awaitLogLine(p, "post");
            hook = postHookProcesses();
            long signalled = System.nanoTime();
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 120);
            long waited = (System.nanoTime() - signalled) / 1_000_000_000L;
            assertEquals(143, o.code(), o.toString());
            assertTrue(waited >= 59, "the post-hook was not given its time: cairn exited " + waited + " s after the signal");
            assertFalse(running(hook[0]) || running(hook[1]), "the post-hook outlived cairn: " + o);
            assertEquals(List.of("cairn: post-hook did not finish within 60 s of the signal and was stopped: "
                    + slowPostHook(), "cairn: stopped by a signal"), Cli.lines(o.err()));
        } finally {
            p.destroyForcibly();
            killAll(hook);
        }
    }

    /** A post-hook that writes its shell's pid and its child's, says "post", and then waits on the child for good. */
    private String slowPostHook() {
        return "echo $$ > " + tmp.resolve("hook.pid") + "; sleep 600 & echo $! > " + tmp.resolve("child.pid")
                + "; echo post >> " + log + "; wait";
    }

    /** The slow post-hook's shell and its child. */
    private long[] postHookProcesses() throws Exception {
        return new long[] {Long.parseLong(Files.readString(tmp.resolve("hook.pid")).trim()),
                Long.parseLong(Files.readString(tmp.resolve("child.pid")).trim())};
    }

    /** Alive and not a zombie: a zombie has ended, and waits only for a parent (or init) to reap it. */
    private static boolean running(long pid) throws Exception {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static void killAll(long[] pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aSignalDuringThePushAfterTheCommitGivesThePostHookTheSavedSnapshot() throws Exception {
        Cli.expect(0, repo, "target", "add", "t1", Files.createDirectories(tmp.resolve("t1")).toString());
        // Large enough that copying it to the target takes a while after the id is printed.
        Path image = Trees.writeRandom(tmp.resolve("disk.img"), 8, 200L << 20);
        Process p = startBackup(image, "--compression", "1", "--post-hook", post("post"));
        String id;
        try {
            id = awaitSnapshotId(p);
            Proc.sh(tmp, "kill -TERM " + p.pid());
            Proc.Output o = Proc.waitFor(p, logs, 120);
            assertEquals(143, o.code(), o.toString());
            List<String> lines = Files.readAllLines(log);
            assertEquals(1, lines.size(), lines + "\n" + o);
            assertTrue(lines.get(0).startsWith("post status=interrupted snapshot=" + id + " host "),
                    "the post-hook was not told of the saved snapshot " + id + ": " + lines);
        } finally {
            p.destroyForcibly();
        }
        List<java.util.Map<String, Object>> saved = Json.array(Cli.expect(0, repo, "snapshots", "--json").out());
        assertEquals(1, saved.size());
        assertEquals(id, saved.get(0).get("id"), saved.toString());
    }

    /** The new snapshot's id, printed on the line after the image's SHA-256 once the snapshot is committed. */
    private String awaitSnapshotId(Process p) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            List<String> out = Files.readAllLines(logs.resolve("stdout"));
            for (int i = 0; i + 1 < out.size(); i++) {
                if (out.get(i).startsWith("sha256: ") && out.get(i + 1).matches("[0-9a-f]+")) {
                    return out.get(i + 1);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no snapshot id printed in time: " + Files.readString(logs.resolve("stderr")));
    }

    private Process startBackup(Path image, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--repo", repo.toString(), "backup", "--image",
                image.toString()));
        args.addAll(List.of(options));
        return Proc.startCairn(logs, List.of(), null, args.toArray(new String[0]));
    }

    private void awaitLogLine(Process p, String prefix) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no hook wrote \"" + prefix + "\" in time: " + Files.readString(logs.resolve("stderr")));
    }

    private static boolean ignoresSigint(Process p) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
