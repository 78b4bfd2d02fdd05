package cairn.store.concurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Closing the pool waits for the task still running, even when the closing thread was interrupted. */
class BoundedPoolTest {
    @Test
    void closeWaitsForARunningTaskEvenWhenTheCallerWasInterrupted() throws Exception {
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        BoundedPool pool = new BoundedPool("test", 1, 1);
        pool.submit(() -> {
            started.countDown();
            // Busy, as compressing a chunk is: deaf to interrupts until it stores its result.
            long until = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            finished.set(true);
            return null;
        });
        started.await();
        Thread.currentThread().interrupt();
        pool.close();
        boolean stillInterrupted = Thread.interrupted();
        assertTrue(finished.get(), "close returned while a task was still running");
        assertTrue(stillInterrupted, "close swallowed the caller's interrupt");
    }
}
