package cairn.store.concurrent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Results of parallel tasks, taken back in the order the tasks were started, with at most
 * {@code capacity} started and not yet taken: workers may finish out of order, the consumer sees them in
 * order, and memory is bounded by the window (for images: a few blocks, whatever the image's size).
 * Used by one thread, the one that starts the tasks.
 */
public final class InOrderWindow<T> {
    /** Consumes a result in order. */
    public interface Sink<T> {
        void accept(T result) throws IOException;
    }

    private final int capacity;
    private final ArrayDeque<Future<T>> pending = new ArrayDeque<>();

    public InOrderWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /** Adds the next task's future; when the window is full, first waits for the oldest and hands it to {@code sink}. */
    public void add(Future<T> next, Sink<T> sink) throws IOException {
        while (pending.size() >= capacity) {
            sink.accept(await(pending.poll()));
        }
        pending.add(next);
    }

    /** Hands every remaining result to {@code sink}, in order. */
    public void drain(Sink<T> sink) throws IOException {
        while (!pending.isEmpty()) {
            sink.accept(await(pending.poll()));
        }
    }

    /** Cancels whatever is still pending (after a failure). */
    public void cancel() {
        for (Future<T> f : pending) {
            f.cancel(true);
        }
        pending.clear();
    }

    public int size() {
        return pending.size();
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
            throw new IOException(String.valueOf(c), c);
        }
    }
}
