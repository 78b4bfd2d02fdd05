package cairn.ingest.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hook's output, environment and exit status, the limit a hook run on a signal gets, and that stopping
 * a hook stops every process it started.
 */
class HookTest {
    @TempDir
    Path tmp;

    @Test
    void passesOnEveryLineAndTheExitStatus() throws Exception {
        List<String> lines = new ArrayList<>();
        int code = Hook.run("echo \"$CAIRN_STATUS\"; echo err >&2; exit 3", Map.of(Hook.STATUS, "complete"),
                lines::add);
        assertEquals(3, code);
        assertEquals(List.of("complete", "err"), lines);
    }

    @Test
    void aCommandPastItsLimitIsStopped() {
        long t0 = System.nanoTime();
        Hook.TimedOut e = assertThrows(Hook.TimedOut.class,
                () -> Hook.run("sleep 30", Map.of(), line -> { }, Duration.ofSeconds(1)));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "waited far past the limit");
        assertEquals("did not finish within 1 s and was stopped: sleep 30", e.getMessage());
    }

    @Test
    void aCommandWithinItsLimitRunsToTheEndOfItsOutput() throws Exception {
        List<String> lines = new ArrayList<>();
        assertEquals(0, Hook.run("seq 1 20000", Map.of(), lines::add, Duration.ofSeconds(30)));
        assertEquals(20000, lines.size());
        assertEquals("20000", lines.get(19999));
    }

    @Test
    void aCommandPastItsLimitIsStoppedWithItsChildrenAlsoWhenTheyIgnoreSigterm() throws Exception {
        Path shell = tmp.resolve("shell.pid");
        Path child = tmp.resolve("child.pid");
        // An ignored SIGTERM is inherited by the sleep as well: only SIGKILL ends either.
        String command = "trap '' TERM; echo $$ > " + shell + "; sleep 90 & echo $! > " + child + "; wait";
        assertThrows(Hook.TimedOut.class, () -> Hook.run(command, Map.of(), line -> { }, Duration.ofSeconds(1)));
        assertEnd(pidIn(shell), pidIn(child));
    }

    @Test
    void anInterruptedCommandIsStoppedWithItsChildren() throws Exception {
        Path child = tmp.resolve("child.pid");
        Thread runner = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                while (!Files.exists(child) || Files.size(child) == 0) {
                    Thread.sleep(10);
                }
                runner.interrupt();
            } catch (InterruptedException | IOException e) {
                // The test fails on its own: the command then runs its full minute.
            }
        });
        interrupter.start();
        try {
            assertThrows(Hook.Stopped.class,
                    () -> Hook.run("sleep 60 & echo $! > " + child + "; wait", Map.of(), line -> { }));
        } finally {
            Thread.interrupted();
            interrupter.join();
        }
        assertEnd(pidIn(child));
    }

    private static long pidIn(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    /** Within a few seconds each process is gone, or a zombie that nobody has reaped yet. */
    private static void assertEnd(long... pids) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        List<Long> running = new ArrayList<>();
        do {
            running.clear();
            for (long pid : pids) {
                if (!ended(pid)) {
                    running.add(pid);
                }
            }
            Thread.sleep(20);
        } while (!running.isEmpty() && System.nanoTime() < deadline);
        for (long pid : running) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertEquals(List.of(), running, "processes started by the hook still run");
    }

    private static boolean ended(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (NoSuchFileException e) {
            return true;
        }
    }
}
