package cairn.tools.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a backup's post-hook exactly once, also when SIGTERM or SIGINT (a timeout, systemctl stop,
 * Ctrl-C) ends the backup. On those signals the JVM runs its shutdown hooks and then exits with the
 * signal's status (143, 130), whatever the command's thread is doing. The shutdown hook registered here
 * first stops the backup, interrupting the command's thread and waiting for it to let go of the source
 * (an LVM snapshot still open cannot be removed), then runs the post-hook with status
 * {@link PostHook#INTERRUPTED}. A backup stopped before its commit commits nothing; the segments it wrote
 * are what a killed writer leaves, which the next writer adopts or deletes under the lock. One stopped
 * after it, during the push to targets, keeps its snapshot, which {@link #saved} has made known.
 *
 * <p>The command calls {@link #afterBackup} when the backup has ended, however it ended. Whichever of the
 * two gets there first runs the post-hook; the other waits for that run to finish. Created and closed on
 * the command's thread, inside its writer lock, so the lock is released only after the post-hook.
 */
final class PostHookOnce implements AutoCloseable {
    /**
     * How long a signal waits for the interrupted backup to stop reading its source; room enough for a
     * pre-hook to be stopped, {@link cairn.ingest.hooks.Hook#STOP_GRACE} included.
     */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /**
     * The most the post-hook gets when a signal runs it, after which it is stopped: together with
     * {@link #STOP_WAIT} and {@link cairn.ingest.hooks.Hook#STOP_GRACE}, within the 90 s systemd gives a
     * service to stop before it kills it.
     */
    static final Duration SIGNAL_POST_HOOK_LIMIT = Duration.ofSeconds(60);

    private final PostHook postHook;
    private final Thread commandThread = Thread.currentThread();
    private final Thread onSignal = new Thread(this::signalled, "cairn-post-hook-on-signal");
    private final CountDownLatch backupEnded = new CountDownLatch(1);
    private final CountDownLatch postHookDone = new CountDownLatch(1);
    /** A run of the post-hook has begun, by one side or the other; guarded by this. */
    private boolean claimed;
    /** The snapshot the backup saved, "" if none; guarded by this. */
    private String snapshot = "";
    private volatile boolean postHookOk = true;

    /** {@code postHook} null: there is none, and nothing to do on a signal. */
    PostHookOnce(PostHook postHook) {
        this.postHook = postHook;
        if (postHook != null) {
            Runtime.getRuntime().addShutdownHook(onSignal);
        }
    }

    /**
     * The backup has committed {@code snapshot}; what follows (the push to targets) may still be stopped
     * by a signal, whose post-hook then names it.
     */
    synchronized void saved(String snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * The backup has ended, saving {@code snapshot} ("" if none) with {@code status}: runs the post-hook.
     * False when it failed. After a signal, waits for the run the signal started instead, then fails:
     * the JVM exits with the signal's status once that run is over.
     */
    boolean afterBackup(String snapshot, String status) throws IOException {
        if (postHook == null) {
            return true;
        }
        boolean mine;
        synchronized (this) {
            this.snapshot = snapshot;
            mine = !claimed;
            claimed = true;
        }
        backupEnded.countDown();
        if (!mine) {
            // The signal's interrupt has done its job (the backup stopped); waiting must not end at it.
            Thread.interrupted();
            awaitUninterruptibly(postHookDone);
            throw new InterruptedIOException("stopped by a signal");
        }
        try {
            postHookOk = postHook.run(snapshot, status, null);
        } finally {
            postHookDone.countDown();
        }
        return postHookOk;
    }

    /** The shutdown hook: what SIGTERM or SIGINT does while the backup runs. */
    private void signalled() {
        boolean mine;
        synchronized (this) {
            mine = !claimed;
            claimed = true;
            if (mine) {
                commandThread.interrupt();
            }
        }
        if (!mine) {
            // The backup had ended and its post-hook runs: let it finish before the JVM exits.
            await(postHookDone, SIGNAL_POST_HOOK_LIMIT);
            return;
        }
        try {
            await(backupEnded, STOP_WAIT);
            String saved;
            synchronized (this) {
                saved = snapshot;
            }
            postHookOk = postHook.run(saved, PostHook.INTERRUPTED, SIGNAL_POST_HOOK_LIMIT);
        } catch (IOException | RuntimeException e) {
            postHook.report("post-hook could not run: " + ExitCodes.message(e));
        } finally {
            postHookDone.countDown();
        }
        // The command's thread now reports how the backup ended and releases the writer lock.
        try {
            commandThread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (postHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // A signal came: the hook runs or ran, and afterBackup waited for its post-hook.
        }
    }
}
