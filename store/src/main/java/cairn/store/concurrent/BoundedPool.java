package cairn.store.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool whose submit blocks while its queue is full, so a fast producer cannot pile up work
 * (and the memory it holds) ahead of the consumers.
 */
public final class BoundedPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    public BoundedPool(String name, int threads, int queued) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(queued), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException(name + " pool is shut down");
                    }
                    try {
                        pool.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while queueing work", e);
                    }
                });
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /**
     * Stops the pool and waits (up to 30 s) for running tasks to end, so none is still writing when the
     * caller moves on. It waits also when the caller was interrupted, as a backup being stopped by a
     * signal is: a task still storing a chunk after the caller rolled back its catalog transaction would
     * leave a row that names a segment that is not there. The interrupt is kept for the caller.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (true) {
                try {
                    executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
