package cairn.tools.cli;

import cairn.store.fsutil.TemporaryFiles;
import cairn.store.image.sync.BlockSync;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What SIGTERM or SIGINT (a timeout, systemctl stop, Ctrl-C) does to a command that must not be cut off
 * wherever it happens to be. On those signals the JVM runs its shutdown hooks and then exits with the
 * signal's status (143, 130), whatever the command's thread is doing. The hook registered here:
 *
 * <ol>
 * <li>closes the gate of {@link TemporaryFiles}: no file written under a temporary name takes its real
 * name from now on, whichever thread would rename it;
 * <li>runs the command's own {@code onSignal}: by default, interrupting the command's thread, which
 * stops its workers, removes the temporary files it made (a restore's, a new sync target's), and
 * ends as "stopped by a signal" ({@link #run});
 * <li>waits, up to {@link #STOP_WAIT}, for the command's thread to end, so its line on stderr is printed
 * and its cleanup done before the JVM exits;
 * <li>removes whatever temporary file is still registered, should the command not have got that far.
 * </ol>
 *
 * <p>Created on the command's thread, and closed by it when the command is done.
 */
final class SignalStop implements AutoCloseable {
    /**
     * How long a signal waits for the command's thread to end: room for a backup to stop reading its
     * source, for a stopped post-hook to end, for a restore's workers to stop and its files to go.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    static final String STOPPED = "stopped by a signal";

    private final Thread commandThread = Thread.currentThread();
    private final Runnable onSignal;
    private final Thread hook = new Thread(this::stopOnSignal, "cairn-stop-on-signal");
    private volatile boolean signalled;

    /** {@code onSignal}: what the signal does on the hook's thread, before it waits for the command's to end. */
    SignalStop(Runnable onSignal) {
        this.onSignal = onSignal;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** For a command that has nothing to do on a signal but stop: the signal interrupts its thread. */
    static SignalStop interrupting() {
        Thread command = Thread.currentThread();
        return new SignalStop(command::interrupt);
    }

    /** Whether a signal has come. */
    boolean signalled() {
        return signalled;
    }

    /** The shutdown hook. */
    private void stopOnSignal() {
        signalled = true;
        TemporaryFiles.stopAll();
        onSignal.run();
        try {
            commandThread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TemporaryFiles.removeLeft();
    }

    /**
     * Runs the command's work. After a signal, however the work ended, the command ends as stopped by it
     * (the JVM exits with the signal's status anyway): "stopped by a signal", followed by what the stopped
     * work says it left behind (a sync's target written in part).
     */
    <T> T run(Callable<T> work) throws Exception {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            if (signalled) {
                throw stopped(e);
            }
            throw e;
        }
        if (signalled) {
            throw stopped(null);
        }
        return result;
    }

    /** The failure of a command stopped by a signal, {@code cause} what the stopped work failed with (or null). */
    static InterruptedIOException stopped(Throwable cause) {
        String leftBehind = null;
        // Bounded: a chain of causes may loop back on itself.
        Throwable t = cause;
        for (int depth = 0; t != null && depth < 32 && leftBehind == null; depth++, t = t.getCause()) {
            if (t instanceof BlockSync.PartlyWritten p) {
                leftBehind = p.leftBehind();
            }
        }
        InterruptedIOException e = new InterruptedIOException(leftBehind == null ? STOPPED : STOPPED + "; " + leftBehind);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The command is done: a signal from now on exits as the JVM does by default. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A signal came: the hook runs or ran, and waits for this thread to end.
        }
    }
}
