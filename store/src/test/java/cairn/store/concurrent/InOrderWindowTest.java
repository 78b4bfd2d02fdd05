package cairn.store.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Results come back in the order tasks started, whatever order they finish in, with a bounded number in flight. */
class InOrderWindowTest {
    @Test
    void resultsFinishingOutOfOrderAreConsumedInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            InOrderWindow<Integer> w = new InOrderWindow<>(4);
            List<Integer> seen = new ArrayList<>();
            AtomicInteger running = new AtomicInteger();
            int[] maxRunning = {0};
            for (int i = 0; i < 200; i++) {
                int n = i;
                // Later tasks tend to finish first: each sleeps less than the one before it in its group.
                Future<Integer> f = pool.submit(() -> {
                    synchronized (maxRunning) {
                        maxRunning[0] = Math.max(maxRunning[0], running.incrementAndGet());
                    }
                    Thread.sleep(3 - n % 4);
                    running.decrementAndGet();
                    return n;
                });
                w.add(f, seen::add);
                assertTrue(w.size() <= 4, "window holds " + w.size());
            }
            w.drain(seen::add);
            assertEquals(200, seen.size());
            for (int i = 0; i < 200; i++) {
                assertEquals(i, seen.get(i));
            }
            assertTrue(maxRunning[0] <= 4, "more tasks in flight than the window: " + maxRunning[0]);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedTaskStopsTheConsumerAndCancelsTheRest() throws Exception {
        InOrderWindow<Integer> w = new InOrderWindow<>(2);
        List<Integer> seen = new ArrayList<>();
        CompletableFuture<Integer> never = new CompletableFuture<>();
        w.add(CompletableFuture.completedFuture(0), seen::add);
        w.add(CompletableFuture.failedFuture(new IOException("EIO at block 1")), seen::add);
        w.add(never, seen::add);
        IOException e = assertThrows(IOException.class, () -> w.add(CompletableFuture.completedFuture(3), seen::add));
        assertEquals("EIO at block 1", e.getMessage());
        assertEquals(List.of(0), seen);
        assertTrue(never.isCancelled(), "tasks after the failure must be cancelled");
        assertEquals(0, w.size());
    }

    @Test
    void aWorkerRunningOutOfMemoryIsRethrownAsItselfNotAsAnIOException() throws Exception {
        InOrderWindow<Integer> w = new InOrderWindow<>(2);
        w.add(CompletableFuture.failedFuture(new OutOfMemoryError("Java heap space")), i -> { });
        assertThrows(OutOfMemoryError.class, () -> w.drain(i -> { }));
    }

    @Test
    void theOldestIsAwaitedEvenWhenItIsTheSlowest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch release = new CountDownLatch(1);
            InOrderWindow<String> w = new InOrderWindow<>(2);
            List<String> seen = new ArrayList<>();
            w.add(pool.submit(() -> {
                release.await(10, TimeUnit.SECONDS);
                return "first";
            }), seen::add);
            w.add(pool.submit(() -> "second"), seen::add);
            new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // released early is fine
                }
                release.countDown();
            }).start();
            w.add(CompletableFuture.completedFuture("third"), seen::add);
            w.drain(seen::add);
            assertEquals(List.of("first", "second", "third"), seen);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void weightlessTasksRunAheadWhileTheWeightStaysBounded() throws Exception {
        // At most 3 units of weight and 100 tasks: every third task holds 1, the others (holes) nothing.
        InOrderWindow<Integer> w = new InOrderWindow<>(100, 3);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            started.add(f);
            w.add(f, i % 3 == 0 ? 1 : 0, seen::add);
        }
        assertEquals(9, w.size(), "three weighted tasks and six weightless ones fit without consuming any");
        assertEquals(List.of(), seen);
        for (int i = 0; i < 9; i++) {
            started.get(i).complete(i);
        }
        w.add(CompletableFuture.completedFuture(9), 1, seen::add);
        assertEquals(List.of(0), seen, "a fourth unit of weight waits until the first is consumed");
        w.add(CompletableFuture.completedFuture(10), 5, seen::add);
        assertEquals(11, seen.size() + w.size());
        assertEquals(1, w.size(), "a task heavier than the window still runs, alone");
        w.drain(seen::add);
        for (int i = 0; i < 11; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void theTaskLimitHoldsForWeightlessTasksToo() throws Exception {
        InOrderWindow<Integer> w = new InOrderWindow<>(4, 100);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            w.add(CompletableFuture.completedFuture(i), 0, seen::add);
            assertTrue(w.size() <= 4, "window holds " + w.size());
        }
        w.drain(seen::add);
        assertEquals(10, seen.size());
    }
}
