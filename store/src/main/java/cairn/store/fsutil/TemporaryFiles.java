package cairn.store.fsutil;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One writer's files under temporary names, each given its final name once whole and checked (a
 * restored file, an image restore's file, a new sync target), and what becomes of them when the process
 * is stopped by a signal.
 *
 * <p>From the moment {@link #stopAll} is called, no file of any writer takes its final name: a rename
 * under way ends first, and every later one fails with {@link Stopped}, so the file stays temporary and
 * is removed. Each writer removes its own as it unwinds ({@link Pending#remove}, {@link #close}), after
 * stopping its workers; {@link #removeLeft} then removes whatever a writer did not get to in time, the
 * last thing before the JVM exits. Only files registered here are ever removed, so a stop never costs a
 * file the process did not create. Removing a file a worker still writes to through an open descriptor
 * is harmless: its blocks are freed when the descriptor is closed.
 *
 * <p>The stop is the whole process's, as a signal is: there is one gate, and every writer's files pass it.
 */
public final class TemporaryFiles implements AutoCloseable {
    private static final ReentrantReadWriteLock GATE = new ReentrantReadWriteLock();
    /** Set once, holding the gate's write lock; read under its read lock or, for a glance, without. */
    private static volatile boolean stopping;
    private static final Set<TemporaryFiles> WRITERS = ConcurrentHashMap.newKeySet();

    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();

    /** A file operation: a rename into place, or the removal of a temporary file. */
    public interface FileAction {
        void run() throws IOException;
    }

    /** A rename refused because the process is stopping on a signal. */
    public static final class Stopped extends InterruptedIOException {
        Stopped() {
            super("stopped before the file took its name");
        }
    }

    /** One temporary file: it takes its final name ({@link #rename}) or is removed ({@link #remove}). */
    public final class Pending {
        private final FileAction removal;

        private Pending(FileAction removal) {
            this.removal = removal;
        }

        /**
         * Gives the file its final name by {@code rename}, unless the process is stopping: then it fails
         * with {@link Stopped} and the file stays temporary, to be removed. A rename that fails leaves it
         * pending too.
         */
        public void rename(FileAction rename) throws IOException {
            GATE.readLock().lock();
            try {
                if (stopping) {
                    throw new Stopped();
                }
                rename.run();
                pending.remove(this);
            } finally {
                GATE.readLock().unlock();
            }
        }

        /** Removes the file, unless it was renamed or removed already; a file that is gone is no error. */
        public void remove() throws IOException {
            if (pending.remove(this)) {
                removal.run();
            }
        }
    }

    public TemporaryFiles() {
        WRITERS.add(this);
    }

    /** Registers a temporary file just created, which {@code removal} removes. */
    public Pending add(FileAction removal) {
        Pending p = new Pending(removal);
        pending.add(p);
        return p;
    }

    /** Registers the temporary file {@code file}, just created. */
    public Pending add(Path file) {
        return add(() -> Files.deleteIfExists(file));
    }

    /** Whether the process has begun to stop on a signal. */
    public static boolean stopping() {
        return stopping;
    }

    /**
     * The process stops on a signal: from now on no temporary file takes its final name. Returns once a
     * rename under way has ended.
     */
    public static void stopAll() {
        GATE.writeLock().lock();
        try {
            stopping = true;
        } finally {
            GATE.writeLock().unlock();
        }
    }

    /** Undoes {@link #stopAll}: for tests, which share one JVM. */
    static void resume() {
        GATE.writeLock().lock();
        try {
            stopping = false;
        } finally {
            GATE.writeLock().unlock();
        }
    }

    /** Removes, as best it can, every temporary file still registered by any writer. */
    public static void removeLeft() {
        for (TemporaryFiles w : List.copyOf(WRITERS)) {
            w.removeQuietly();
        }
    }

    /** Removes this writer's files that did not take their names; call once its workers have stopped. */
    @Override
    public void close() {
        removeQuietly();
        WRITERS.remove(this);
    }

    private void removeQuietly() {
        for (Pending p : List.copyOf(pending)) {
            try {
                p.remove();
            } catch (IOException | RuntimeException e) {
                // Left behind, as a writer killed outright leaves it: the next run to that name removes it.
            }
        }
    }
}
