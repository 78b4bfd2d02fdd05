package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads from an SSH host that stops answering (every sshd process stopped: connections stay open, nothing
 * comes back) fail within {@link Liveness}'s bound, here 1.5 s, and the host is then skipped; a host whose
 * SFTP server is merely slow is waited for.
 */
class SftpStallTest {
    private static final long BOUND_MS = 1500;

    @TempDir
    Path tmp;
    Sshd sshd;
    Path dir;
    byte[] data;

    @BeforeEach
    void server() throws Exception {
        System.setProperty(Liveness.PROPERTY, Long.toString(BOUND_MS));
        // SFTP served by sshd itself: no login shell is caught half-way through its startup files when the
        // server is frozen (see the tools module's Sshd). The slow-SFTP-server test needs the separate one.
        sshd = Sshd.start(tmp, true);
        dir = Files.createDirectories(tmp.resolve("target"));
        data = new byte[12 << 20];
        new Random(5).nextBytes(data);
        Files.write(dir.resolve("f.seg"), data);
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty(Liveness.PROPERTY);
        sshd.close(); // resumes what is frozen, then stops it
    }

    private SftpStore openForReading() throws Exception {
        return SftpStore.openForReading(TargetUri.parse(sshd.uri(dir)), sshd.settings());
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Live threads of sshj's for connections to this test's server. */
    private List<String> threadsOfThisServer() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().contains(":" + sshd.port)) {
                out.add(t.getName());
            }
        }
        return out;
    }

    @Test
    void readsFromAHostThatStopsAnsweringFailWithinTheBoundAndTheHostIsThenSkipped() throws Exception {
        SftpStore s = openForReading();
        byte[] got = new byte[4 << 20];
        assertEquals(got.length, s.read("f.seg", 0, got, 0, got.length));
        assertArrayEquals(Arrays.copyOf(data, got.length), got);

        sshd.freezeAll();
        // Four readers at once, on the store's two shared connections: each gets its answer within the
        // bound, not one after another.
        long t0 = System.nanoTime();
        List<CompletableFuture<Object>> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long at = (long) (i + 1) * (2 << 20);
            readers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return s.read("f.seg", at, new byte[4 << 20], 0, 4 << 20);
                } catch (Exception e) {
                    return e;
                }
            }));
        }
        // A reader on the open connection hears that the host does not answer; one that was opening the
        // second connection, that the host does not answer that either.
        java.util.regex.Pattern expected = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(
                "no answer from root@127.0.0.1:" + sshd.port + " for 1.5 s while ") + "(opening|reading) "
                + java.util.regex.Pattern.quote(dir + "/f.seg") + "|" + java.util.regex.Pattern.quote(
                "cannot reach root@127.0.0.1:" + sshd.port + ": no answer for 1.5 s"));
        for (CompletableFuture<Object> r : readers) {
            Object outcome = r.get(30, TimeUnit.SECONDS);
            assertTrue(outcome instanceof TargetUnavailableException, String.valueOf(outcome));
            String message = ((Exception) outcome).getMessage();
            assertTrue(expected.matcher(message).matches(), message);
        }
        double first = secondsSince(t0);
        assertTrue(first >= BOUND_MS / 1000.0 * 0.9 && first < 8, "the readers took " + first + " s");

        // The host is now known to be failing: the next read is turned away at once, without waiting.
        long t1 = System.nanoTime();
        TargetUnavailableException again = assertThrows(TargetUnavailableException.class,
                () -> s.read("f.seg", 0, got, 0, got.length));
        assertTrue(secondsSince(t1) < 1, "a second read waited " + secondsSince(t1) + " s");
        assertTrue(expected.matcher(again.getMessage()).matches(), again.getMessage());

        // Nothing is left waiting on the frozen host: closing is quick and no connection thread stays.
        long t2 = System.nanoTime();
        s.close();
        assertTrue(secondsSince(t2) < 3, "closing took " + secondsSince(t2) + " s");
        awaitNoThreadsOfThisServer();
    }

    private void awaitNoThreadsOfThisServer() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threadsOfThisServer().isEmpty()) {
            if (System.nanoTime() > end) {
                fail("threads still running for the closed connections: " + threadsOfThisServer());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aReaderConnectingToAFrozenHostGivesUpWithinTheBound() throws Exception {
        sshd.freezeAll();
        long t0 = System.nanoTime();
        TargetUnavailableException e = assertThrows(TargetUnavailableException.class, this::openForReading);
        double seconds = secondsSince(t0);
        assertEquals("cannot reach root@127.0.0.1:" + sshd.port + ": no answer for 1.5 s", e.getMessage());
        assertTrue(seconds < 8, "connecting took " + seconds + " s");
        awaitNoThreadsOfThisServer();
    }

    @Test
    void anOpeningUnderWayWhenTheHostIsFoundFrozenIsAbandonedAtOnce() throws Exception {
        Path local = tmp.resolve("up.seg");
        Files.write(local, Arrays.copyOf(data, 1 << 20));
        try (SftpStore store = SftpStore.open(TargetUri.parse(sshd.uri(dir)), sshd.settings(), 2)) {
            store.mkdirs("tmp");
            sshd.freezeAll();
            long t0 = System.nanoTime();
            // The first upload takes the open connection; the second opens another, which a frozen host never
            // answers: it would wait out the 60 s connect deadline once the first had found the host frozen.
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> upload(store, local, "tmp/a"));
            Thread.sleep(200);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> upload(store, local, "tmp/b"));
            for (CompletableFuture<Void> f : List.of(first, second)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                assertTrue(e.getCause().getCause() instanceof TargetUnavailableException, e.toString());
                assertTrue(e.getCause().getMessage().contains("no answer from root@127.0.0.1:" + sshd.port),
                        e.getCause().getMessage());
            }
            double seconds = secondsSince(t0);
            assertTrue(seconds < 8, "the uploads took " + seconds + " s to give up");
        }
    }

    private static void upload(SftpStore store, Path local, String path) {
        try {
            store.upload(local, path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aHostThatAnswersButWhoseSftpServerIsSlowIsWaitedFor() throws Exception {
        sshd.close();
        sshd = Sshd.start(tmp); // SFTP in a process of its own, which can be stopped alone
        try (SftpStore s = openForReading()) {
            byte[] got = new byte[4 << 20];
            assertEquals(got.length, s.read("f.seg", 0, got, 0, got.length));
            // As a disk waking from standby: the SFTP server does not answer for a while, sshd itself does.
            assertTrue(sshd.freezeSftpServers() >= 1);
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.read("f.seg", 4 << 20, got, 0, got.length);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(3 * BOUND_MS);
            assertFalse(read.isDone(), "a host that answers keepalives was given up on: " + outcome(read));
            sshd.thawAll();
            assertEquals(got.length, read.get(30, TimeUnit.SECONDS));
            assertArrayEquals(Arrays.copyOfRange(data, 4 << 20, 8 << 20), got);
        }
    }

    private static String outcome(CompletableFuture<?> f) {
        try {
            return String.valueOf(f.getNow(null));
        } catch (Exception e) {
            return e instanceof ExecutionException || e.getCause() != null ? String.valueOf(e.getCause()) : e.toString();
        }
    }
}
