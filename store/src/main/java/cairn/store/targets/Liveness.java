package cairn.store.targets;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Tells a host that has stopped answering from one that is slow, for the readers of one SSH connection.
 *
 * <p>A host that freezes (a hung kernel, a stopped sshd, a link that drops packets without a reset)
 * leaves its TCP connection open and sends nothing more. SFTP's own bound on a request, 60 s, is far too
 * long for a reader that could take the same bytes from another copy at once, and every reader that
 * came after it would wait as long again. So a reader waiting for an answer watches the connection
 * instead: every byte that arrives on it counts (data for any thread sharing it, answers to anything);
 * after a quarter of the bound without any, it asks the host's SSH server for a reply
 * ({@code keepalive@openssh.com}, which needs no disk and no SFTP server); when nothing at all has come
 * for the whole bound, the host is taken for frozen: the connection is cut, which fails every request
 * waiting on it at once, and the read fails with {@link TargetUnavailableException}, naming the host.
 *
 * <p>A host that answers the keepalive but not the read (its disk waking from standby, which backup hosts
 * often let their disks do; a long queue of other readers' requests) is busy, not frozen: the read goes
 * on waiting for up to SFTP's 60 s per request, as before.
 *
 * <p>A call that blocks inside sshj rather than in {@link #await} (a write waiting for the host to open
 * its channel window, which a frozen host never does) is {@link #watching watched} from another thread
 * by the same rule; the cut, and an interrupt of the waiting thread (sshj's window wait does not notice a
 * closed socket until its own timeout), wake it.
 *
 * <p>The bound is {@link #DEFAULT_MS}, or the system property {@value #PROPERTY} in milliseconds.
 */
final class Liveness {
    static final String PROPERTY = "cairn.ssh.stallMs";
    /**
     * 10 s without a byte from the host, keepalives included. An SSH server answers a keepalive within
     * milliseconds on a LAN and well within a second across the world; a loaded host or a congested link
     * (buffers full of other data) may add a few seconds, which leaves room to spare since the first
     * keepalive goes out after 2.5 s. Longer would only make readers wait longer for a host that is gone,
     * once per host: the target is then skipped for {@link SshPool#BACKOFF_NS}. Well under the 60 s that
     * opening a connection may take and that an SFTP request may take on a host that does answer.
     */
    static final long DEFAULT_MS = 10_000;

    private final TimedSocket socket;
    private final String where;
    private final long boundNs;
    private final Runnable ping;
    private final Consumer<TargetUnavailableException> cut;
    private final AtomicLong lastPingNs = new AtomicLong(System.nanoTime());
    /** Checks the calls being {@link #watching watched}, for every connection; its thread never keeps the JVM up. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-ssh-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** A call that may block inside sshj. */
    interface Call<T> {
        T run() throws IOException;
    }

    /**
     * {@code where} names the host for messages; {@code ping} asks it for a reply without waiting for
     * one; {@code cut} closes the connection at once (its socket), without talking to the host, for the
     * reason given.
     */
    Liveness(TimedSocket socket, String where, Runnable ping, Consumer<TargetUnavailableException> cut) {
        this.socket = socket;
        this.where = where;
        this.boundNs = TimeUnit.MILLISECONDS.toNanos(boundMs());
        this.ping = ping;
        this.cut = cut;
    }

    /** The bound in milliseconds (at least 100). */
    static long boundMs() {
        return Math.max(100, Long.getLong(PROPERTY, DEFAULT_MS));
    }

    /** The bound as a person reads it: "10 s", "2.5 s". */
    static String describe(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
    }

    /**
     * Runs {@code call} ({@code what}: "writing /srv/x.seg") while a watchdog asks the host for a reply when
     * it has been quiet for a quarter of the bound, and cuts the connection when it has sent nothing for the
     * whole bound; the call then fails with {@link TargetUnavailableException}, naming the host.
     */
    <T> T watching(String what, Call<T> call) throws IOException {
        long sliceMs = Math.max(20, Math.min(500, TimeUnit.NANOSECONDS.toMillis(boundNs) / 10));
        long startNs = System.nanoTime();
        AtomicReference<TargetUnavailableException> gone = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        // Guards the interrupt: only while the call runs, so none reaches the caller after it.
        Object running = new Object();
        boolean[] done = {false};
        // Two slices past the bound: a wait inside the call that watches itself ({@link #await}) reports first,
        // in its own words; this one is the backstop for the waits that do not.
        long cutNs = boundNs + 2 * TimeUnit.MILLISECONDS.toNanos(sliceMs);
        ScheduledFuture<?> check = WATCHDOG.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            long quietNs = now - Math.max(startNs, socket.lastInputNs());
            if (quietNs >= cutNs) {
                TargetUnavailableException e = new TargetUnavailableException("no answer from " + where + " for "
                        + describe(TimeUnit.NANOSECONDS.toMillis(boundNs)) + " while " + what);
                if (gone.compareAndSet(null, e)) {
                    cut.accept(e);
                    synchronized (running) {
                        if (!done[0]) {
                            caller.interrupt();
                        }
                    }
                }
            } else if (quietNs >= boundNs / 4) {
                long last = lastPingNs.get();
                if (now - last >= boundNs / 4 && lastPingNs.compareAndSet(last, now)) {
                    ping.run();
                }
            }
        }, sliceMs, sliceMs, TimeUnit.MILLISECONDS);
        try {
            return call.run();
        } catch (IOException | RuntimeException e) {
            TargetUnavailableException cutFor = gone.get();
            if (cutFor != null) {
                cutFor.addSuppressed(e);
                throw cutFor;
            }
            throw e;
        } finally {
            check.cancel(false);
            synchronized (running) {
                done[0] = true;
            }
            if (gone.get() != null) {
                Thread.interrupted(); // the watchdog's, not a request to stop
            }
        }
    }

    /**
     * Waits for the answer {@code p} to a request made while {@code what} ("reading /srv/x.seg"), for up
     * to {@code timeoutMs} in all, and calls {@code progress} each time the host is heard from. Fails with
     * {@link TargetUnavailableException}, after cutting the connection, when the host sent nothing for the
     * bound, or did not answer this request in {@code timeoutMs}.
     */
    Response await(Promise<Response, SFTPException> p, long timeoutMs, String what, Runnable progress)
            throws IOException {
        long startNs = System.nanoTime();
        long sliceMs = Math.max(20, Math.min(500, TimeUnit.NANOSECONDS.toMillis(boundNs) / 10));
        long heardNs = startNs;
        long seen = socket.lastInputNs();
        while (true) {
            Response r = p.tryRetrieve(sliceMs, TimeUnit.MILLISECONDS);
            if (r != null) {
                progress.run();
                return r;
            }
            long now = System.nanoTime();
            long in = socket.lastInputNs();
            if (in != seen) {
                seen = in;
                heardNs = Math.max(heardNs, in);
                progress.run();
            }
            TargetUnavailableException gone = null;
            if (now - heardNs >= boundNs) {
                gone = new TargetUnavailableException("no answer from " + where + " for "
                        + describe(TimeUnit.NANOSECONDS.toMillis(boundNs)) + " while " + what);
            } else if (now - startNs >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                gone = new TargetUnavailableException(where + " answers, but not its SFTP server: no reply within "
                        + describe(timeoutMs) + " while " + what);
            }
            if (gone != null) {
                cut.accept(gone);
                throw gone;
            }
            if (now - heardNs >= boundNs / 4) {
                long last = lastPingNs.get();
                if (now - last >= boundNs / 4 && lastPingNs.compareAndSet(last, now)) {
                    ping.run();
                }
            }
        }
    }
}
