package cairn.store.concurrent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Results of parallel tasks, taken back in the order the tasks were started: workers may finish out
 * of order, the consumer sees them in order. What is started and not yet taken is bounded twice: by a
 * number of tasks and by a total weight, the memory their results hold. A task whose result holds
 * nothing (an image block known to be a hole) weighs 0, so workers can run far ahead through holes
 * while the consumer is still hashing them, and memory stays bounded by the weight whatever the
 * image's size. Used by one thread, the one that starts the tasks.
 */
public final class InOrderWindow<T> {
    /** Consumes a result in order. */
    public interface Sink<T> {
        void accept(T result) throws IOException;
    }

    private final int maxTasks;
    private final long maxWeight;
    private long weight;
    private final ArrayDeque<Future<T>> pending = new ArrayDeque<>();
    private final ArrayDeque<Long> weights = new ArrayDeque<>();

    /** At most {@code capacity} tasks of weight 1. */
    public InOrderWindow(int capacity) {
        this(capacity, capacity);
    }

    /**
     * At most {@code maxTasks} tasks and a total weight of {@code maxWeight}; a single task heavier
     * than that is still started, alone.
     */
    public InOrderWindow(int maxTasks, long maxWeight) {
        if (maxTasks < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1");
        }
        this.maxTasks = maxTasks;
        this.maxWeight = maxWeight;
    }

    /** {@link #add(Future, long, Sink)} with weight 1. */
    public void add(Future<T> next, Sink<T> sink) throws IOException {
        add(next, 1, sink);
    }

    /**
     * Adds the next task's future, whose result will hold {@code taskWeight}; while the window is too
     * full for it, first waits for the oldest and hands it to {@code sink}.
     */
    public void add(Future<T> next, long taskWeight, Sink<T> sink) throws IOException {
        makeRoom(taskWeight, sink);
        pending.add(next);
        weights.add(taskWeight);
        weight += taskWeight;
    }

    /**
     * Starts the next task only once the window has room for its weight, handing older results to
     * {@code sink} meanwhile: unlike {@link #add}, whose task is already running, the weight of what is
     * in flight never passes {@code maxWeight} (or one task, when that task alone is heavier), so a
     * block size as large as the heap allows still fits.
     */
    public void start(Supplier<Future<T>> task, long taskWeight, Sink<T> sink) throws IOException {
        makeRoom(taskWeight, sink);
        pending.add(task.get());
        weights.add(taskWeight);
        weight += taskWeight;
    }

    private void makeRoom(long taskWeight, Sink<T> sink) throws IOException {
        while (!pending.isEmpty() && (pending.size() >= maxTasks || weight + taskWeight > maxWeight)) {
            sink.accept(takeOldest());
        }
    }

    /** The largest number of tasks this window lets in flight. */
    public int maxTasks() {
        return maxTasks;
    }

    /** Hands every remaining result to {@code sink}, in order. */
    public void drain(Sink<T> sink) throws IOException {
        while (!pending.isEmpty()) {
            sink.accept(takeOldest());
        }
    }

    /** Cancels whatever is still pending (after a failure). */
    public void cancel() {
        for (Future<T> f : pending) {
            f.cancel(true);
        }
        pending.clear();
        weights.clear();
        weight = 0;
    }

    public int size() {
        return pending.size();
    }

    private T takeOldest() throws IOException {
        Future<T> f = pending.poll();
        weight -= weights.poll();
        return await(f);
    }

    private T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            cancel();
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                // An OutOfMemoryError must reach the command's handler as itself, which tells the user
                // what to change, not as the text of an IOException.
                throw err;
            }
            throw new IOException(String.valueOf(c), c);
        }
    }
}
