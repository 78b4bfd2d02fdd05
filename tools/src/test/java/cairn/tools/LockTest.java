package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.repo.RepoLock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer lock between processes: this JVM holds it, a backup in a separate JVM either fails naming
 * the holder or, with --lock-wait, waits until it is released.
 */
class LockTest {
    @TempDir
    Path tmp;
    Path repo;
    Path src;
    Path logs;

    @BeforeEach
    void setUp() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("f"), "data\n".getBytes());
        logs = Files.createDirectories(tmp.resolve("logs"));
    }

    @Test
    void aSecondWriterFailsNamingTheHolder() throws Exception {
        Proc.Output o;
        try (RepoLock held = RepoLock.acquire(repo.resolve("lock"), Duration.ZERO)) {
            Process p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "backup", src.toString());
            o = Proc.waitFor(p, logs, 60);
        }
        assertEquals(1, o.code(), o.toString());
        List<String> err = Cli.lines(o.err());
        assertEquals(1, err.size(), o.err());
        String line = err.get(0);
        assertTrue(line.startsWith("cairn: ") && line.contains("locked"), line);
        assertTrue(line.contains("pid " + ProcessHandle.current().pid()), "the holder's pid is not named: " + line);
        assertTrue(line.contains("host " + InetAddress.getLocalHost().getHostName()), "the host is not named: " + line);
        assertTrue(line.contains("since "), line);
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
    }

    @Test
    void lockWaitWaitsUntilTheHolderIsDone() throws Exception {
        Process p;
        long released;
        try (RepoLock held = RepoLock.acquire(repo.resolve("lock"), Duration.ZERO)) {
            p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "backup", "--lock-wait", "60",
                    src.toString());
            Thread.sleep(3000);
            assertTrue(p.isAlive(), "the second writer did not wait: " + Files.readString(logs.resolve("stderr")));
            released = System.nanoTime();
        }
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertEquals(0, o.code(), o.toString());
        assertTrue(System.nanoTime() - released < 30_000_000_000L, "took too long after the lock was released");
        assertEquals(1, Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).size());
    }

    @Test
    void aLockLeftByAKilledWriterDoesNotBlock() throws Exception {
        // A writer that is killed while holding the lock: the kernel drops its fcntl lock with it.
        Path big = tmp.resolve("big");
        for (int i = 0; i < 4; i++) {
            Trees.writeRandom(big.resolve("f" + i), i, 50L << 20);
        }
        Process p = Proc.startCairn(logs, List.of(), null, "--repo", repo.toString(), "backup", big.toString());
        long deadline = System.nanoTime() + 60_000_000_000L;
        Path lock = repo.resolve("lock");
        while (!(Files.exists(lock) && Files.size(lock) > 0) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the writer finished before it could be killed");
        String holder = Files.readString(lock);
        assertTrue(holder.contains("pid " + p.pid()), holder);
        p.destroyForcibly();
        p.waitFor();
        Cli.Result r = Cli.expect(0, repo, "backup", src.toString());
        assertTrue(r.err().isEmpty(), r.toString());
    }
}
