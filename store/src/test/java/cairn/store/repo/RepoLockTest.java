package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer lock, against this process and against separate ones. */
class RepoLockTest {
    @TempDir
    Path tmp;

    private Path lockFile() {
        return tmp.resolve("lock");
    }

    private Process probe(long waitMs, long holdMs) throws IOException {
        return probe(lockFile(), waitMs, holdMs);
    }

    private static Process probe(Path lockFile, long waitMs, long holdMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), lockFile.toString(), Long.toString(waitMs), Long.toString(holdMs)))
                .redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lock probe hung");
        return new String(p.getInputStream().readAllBytes()).trim();
    }

    @Test
    void anotherProcessIsRefusedWithTheHoldersHostAndPid() throws Exception {
        try (RepoLock held = RepoLock.acquire(lockFile(), Duration.ZERO)) {
            Process p = probe(0, 0);
            String out = finish(p);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("pid " + ProcessHandle.current().pid()), out);
            assertTrue(out.contains("host " + InetAddress.getLocalHost().getHostName()), out);
            assertTrue(out.contains("since "), out);
            assertTrue(out.contains("--lock-wait"), "the message should say how to wait: " + out);
        }
    }

    @Test
    void aWaitingProcessGetsTheLockWhenItIsReleased() throws Exception {
        Process p;
        try (RepoLock held = RepoLock.acquire(lockFile(), Duration.ZERO)) {
            p = probe(30_000, 0);
            Thread.sleep(1500);
            assertTrue(p.isAlive(), "the probe did not wait: " + new String(p.getInputStream().readNBytes(
                    p.getInputStream().available())));
        }
        String out = finish(p);
        assertEquals(0, p.exitValue(), out);
        assertEquals("acquired", out);
    }

    @Test
    void waitingGivesUpAfterTheWait() throws Exception {
        try (RepoLock held = RepoLock.acquire(lockFile(), Duration.ZERO)) {
            long t0 = System.nanoTime();
            Process p = probe(1000, 0);
            String out = finish(p);
            assertEquals(2, p.exitValue(), out);
            assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "gave up before waiting a second");
        }
    }

    @Test
    void theLockOfAKilledHolderIsFreeAtOnce() throws Exception {
        Process p = probe(0, 600_000);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("acquired", r.readLine());
        assertTrue(Files.readString(lockFile()).contains("pid " + p.pid()));
        p.destroyForcibly(); // SIGKILL: no chance to clean up
        p.waitFor();
        try (RepoLock mine = RepoLock.acquire(lockFile(), Duration.ZERO)) {
            assertTrue(Files.readString(lockFile()).contains("pid " + ProcessHandle.current().pid()));
        }
    }

    @Test
    void withinOneProcessTheLockIsAlsoExclusiveAndCloseReleasesIt() throws Exception {
        RepoLock first = RepoLock.acquire(lockFile(), Duration.ZERO);
        RepoLock.RepositoryLockedException e = assertThrows(RepoLock.RepositoryLockedException.class,
                () -> RepoLock.acquire(lockFile(), Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        Process p = probe(0, 0);
        String out = finish(p);
        assertEquals(2, p.exitValue(), "the refused second acquire dropped the first one's lock: " + out);
        first.close();
        assertEquals(0, Files.size(lockFile()), "a released lock still names its holder");
        RepoLock.acquire(lockFile(), Duration.ZERO).close();
    }

    @Test
    void aStepInsideAWriterSharesItsLockAndDoesNotReleaseIt() throws Exception {
        Path dir = tmp.resolve("repo");
        Path lock = dir.resolve("lock");
        try (Repository repo = Repository.init(dir)) {
            try (RepoLock outer = repo.lockForWriting(Duration.ZERO)) {
                // Not read here: closing any descriptor of the file would drop this process's lock.
                repo.lockForWriting(Duration.ZERO).close();
                Process p = probe(lock, 0, 0);
                String out = finish(p);
                assertEquals(2, p.exitValue(), "the inner step's close released the lock: " + out);
            }
            assertEquals(0, Files.size(lock), "closing the outer hold did not release the lock");
            try (RepoLock again = repo.lockForWriting(Duration.ZERO)) {
                Process p = probe(lock, 0, 0);
                String out = finish(p);
                assertEquals(2, p.exitValue(), "the lock taken again after its release is not held: " + out);
            }
        }
        Process p = probe(lock, 0, 0);
        String out = finish(p);
        assertEquals(0, p.exitValue(), out);
    }
}
