package cairn.tools.cli;

import cairn.ingest.hooks.Hook;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a backup's post-hook exactly once, also when SIGTERM or SIGINT (a timeout, systemctl stop,
 * Ctrl-C) ends the backup. What the signal does goes through a {@link SignalStop}, as for every command
 * that must end cleanly on one: here it first stops the backup, interrupting the command's thread and
 * waiting for it to let go of the source (an LVM snapshot still open cannot be removed), then runs the
 * post-hook with status {@link PostHook#INTERRUPTED}; the SignalStop then waits for the command's thread
 * to report and release the writer lock. A backup stopped before its commit commits nothing; the
 * segments it wrote are what a killed writer leaves, which the next writer adopts or deletes under the
 * lock. One stopped after it, during the push to targets, keeps its snapshot, which {@link #saved} has
 * made known.
 *
 * <p>The command calls {@link #afterBackup} when the backup has ended, however it ended. Whichever of the
 * two gets there first runs the post-hook; the other waits for that run to finish. A signal that finds
 * the command's own post-hook running lets it finish, for up to {@link #SIGNAL_POST_HOOK_LIMIT}: it is the
 * cleanup the user asked for. The JVM must not exit and leave it behind, though, so past that limit, or
 * at a further signal, it is stopped with every process it started before the JVM exits. Created and
 * closed on the command's thread, inside its writer lock, so the lock is released only after the post-hook.
 */
final class PostHookOnce implements AutoCloseable {
    /**
     * How long a signal waits for the interrupted backup to stop reading its source, and for a post-hook it
     * stops to end; room enough for a hook to be stopped, {@link Hook#STOP_GRACE} included.
     */
    private static final Duration STOP_WAIT = SignalStop.STOP_WAIT;
    /**
     * The most the post-hook gets after a signal, whether the signal runs it or finds it running, after
     * which it is stopped: together with {@link #STOP_WAIT} and {@link Hook#STOP_GRACE}, within the 90 s
     * systemd gives a service to stop before it kills it.
     */
    static final Duration SIGNAL_POST_HOOK_LIMIT = Duration.ofSeconds(60);

    private final PostHook postHook;
    private final Thread commandThread = Thread.currentThread();
    /** What a signal does: with no post-hook, only stop the backup. */
    private final SignalStop onSignal;
    private final CountDownLatch backupEnded = new CountDownLatch(1);
    private final CountDownLatch postHookDone = new CountDownLatch(1);
    /** A run of the post-hook has begun, by one side or the other; guarded by this. */
    private boolean claimed;
    /** The snapshot the backup saved, "" if none; guarded by this. */
    private String snapshot = "";
    /** The thread that runs the post-hook, from the moment it is claimed until it ends; guarded by this. */
    private Thread runner;
    /** Why the running post-hook is being stopped, as its report says; null while it may run on. Guarded by this. */
    private String stopping;
    /** A signal found the command's own post-hook running: the command ends as stopped by it. Guarded by this. */
    private boolean signalledDuringPostHook;

    /** {@code postHook} null: there is none, and a signal only stops the backup. */
    PostHookOnce(PostHook postHook) {
        this.postHook = postHook;
        this.onSignal = new SignalStop(postHook == null ? commandThread::interrupt : this::signalled);
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
     * the JVM exits with the signal's status once that run is over. A signal during the post-hook's own
     * run fails it the same way once that run has ended, or was stopped.
     */
    boolean afterBackup(String snapshot, String status) throws IOException {
        if (postHook == null) {
            if (onSignal.signalled()) {
                throw stoppedBySignal();
            }
            return true;
        }
        boolean mine;
        synchronized (this) {
            this.snapshot = snapshot;
            mine = !claimed;
            claimed = true;
            if (mine) {
                runner = commandThread;
            }
        }
        backupEnded.countDown();
        if (!mine) {
            // The signal's interrupt has done its job (the backup stopped); waiting must not end at it.
            Thread.interrupted();
            awaitUninterruptibly(postHookDone);
            throw stoppedBySignal();
        }
        boolean ok;
        try {
            ok = runPostHook(snapshot, status, null);
        } finally {
            postHookDone.countDown();
        }
        synchronized (this) {
            if (signalledDuringPostHook) {
                throw stoppedBySignal();
            }
        }
        return ok;
    }

    /**
     * What SIGTERM or SIGINT does while the backup or its post-hook runs, on the shutdown hook's thread;
     * the {@link SignalStop} then waits for the command's thread to report and release the writer lock.
     */
    private void signalled() {
        FurtherSignals.onEach(this::signalledAgain);
        boolean mine;
        synchronized (this) {
            mine = !claimed;
            claimed = true;
            if (mine) {
                commandThread.interrupt();
            } else {
                signalledDuringPostHook = true;
            }
        }
        if (mine) {
            runInterruptedPostHook();
        } else {
            letRunningPostHookEnd();
        }
    }

    /** The signal came first: once the backup has let go of its source, the post-hook runs here, interrupted. */
    private void runInterruptedPostHook() {
        try {
            await(backupEnded, STOP_WAIT);
            String saved;
            synchronized (this) {
                saved = snapshot;
                runner = Thread.currentThread();
            }
            runPostHook(saved, PostHook.INTERRUPTED, SIGNAL_POST_HOOK_LIMIT);
        } catch (IOException | RuntimeException e) {
            postHook.report("post-hook could not run: " + ExitCodes.message(e));
        } finally {
            postHookDone.countDown();
        }
    }

    /**
     * The backup had ended and the command's thread runs its post-hook: it may finish within the limit,
     * unless a further signal comes; past that it is stopped, and the JVM exits only once it has ended.
     */
    private void letRunningPostHookEnd() {
        long deadline = System.nanoTime() + SIGNAL_POST_HOOK_LIMIT.toNanos();
        synchronized (this) {
            try {
                while (runner != null && stopping == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        stop("did not finish within " + SIGNAL_POST_HOOK_LIMIT.toSeconds() + " s of the signal and was"
                                + " stopped");
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        await(postHookDone, STOP_WAIT);
    }

    /** SIGTERM or SIGINT once the JVM is exiting on one: the post-hook, if one runs, is stopped now. */
    private synchronized void signalledAgain() {
        stop("stopped by a second signal");
    }

    /**
     * Interrupts the thread running the post-hook, which stops it with every process it started; a further
     * call cuts their grace before SIGKILL short. Called holding the lock.
     */
    private void stop(String why) {
        if (runner == null) {
            return;
        }
        if (stopping == null) {
            stopping = why;
        }
        runner.interrupt();
        notifyAll();
    }

    /** Runs the post-hook on this thread, the {@link #runner}; false when it failed or was stopped, which is reported. */
    private boolean runPostHook(String snapshot, String status, Duration limit) throws IOException {
        try {
            return postHook.run(snapshot, status, limit);
        } catch (Hook.Stopped e) {
            String why;
            synchronized (this) {
                why = stopping;
            }
            postHook.reportStopped(why != null ? why : "was stopped");
            return false;
        } finally {
            synchronized (this) {
                runner = null;
                notifyAll();
            }
            // An interrupt that came as the post-hook ended was meant for the post-hook alone.
            Thread.interrupted();
        }
    }

    private static InterruptedIOException stoppedBySignal() {
        return SignalStop.stopped(null);
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
        // After a signal the hook runs or ran, and afterBackup waited for its post-hook.
        onSignal.close();
    }
}
