package cairn.ingest.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hook's output, environment and exit status, and the limit a hook run on a signal gets. */
class HookTest {
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
}
