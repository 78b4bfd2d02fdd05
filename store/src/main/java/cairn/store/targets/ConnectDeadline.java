package cairn.store.targets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * A bound on opening one SSH connection: TCP, the server's banner, key exchange, authentication and the
 * start of SFTP. A host that accepts TCP but never answers (a frozen sshd, a half-dead NAT) would
 * otherwise keep us waiting in a blocking read for ever, and a push under cron holds the repository's
 * lock all that time. When the deadline passes, the connection's socket is closed, which ends every
 * read and wait on it with an error.
 *
 * <p>Only the opening is bounded: the watch ends with {@link #close()}, so a connection that is then
 * idle in a pool is left alone (a socket read timeout would kill it instead).
 *
 * <p>The deadline is {@link #DEFAULT_MS}, or the system property {@value #PROPERTY} in milliseconds.
 *
 * <p>A connection for readers is also given up when the host sends nothing at all for
 * {@link Liveness#boundMs()} (time spent waiting for the agent aside): a host that is there sends its
 * banner and each step of the key exchange at once, and a reader with another copy at hand must not wait
 * a minute for one that is not.
 */
final class ConnectDeadline implements AutoCloseable {
    static final String PROPERTY = "cairn.ssh.connectDeadlineMs";
    static final long DEFAULT_MS = 60_000;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-ssh-connect-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long limitMs;
    /** Silence that gives up too, or 0. */
    private final long quietMs;
    private long endNs;
    /** When the clock last started or restarted after a pause: silence counts from then at the earliest. */
    private long resumedNs;
    private int paused;
    private TimedSocket socket;
    private boolean expired;
    private boolean silent;
    /** Given up from outside: the host was found frozen on another connection ({@link #abandonOpeningOf}). */
    private String abandoned;
    private boolean closed;
    /** The opening under way on each thread, so that it can be abandoned. */
    private static final java.util.Map<Thread, ConnectDeadline> OPENING = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread opener = Thread.currentThread();
    private ScheduledFuture<?> check;

    private ConnectDeadline(long limitMs, long quietMs) {
        this.limitMs = limitMs;
        this.quietMs = quietMs;
    }

    /** Starts the clock now. */
    static ConnectDeadline start() {
        return start(0);
    }

    /** Starts the clock now; with {@code quietMs} above 0, the host's silence for that long gives up too. */
    static ConnectDeadline start(long quietMs) {
        ConnectDeadline d = new ConnectDeadline(Long.getLong(PROPERTY, DEFAULT_MS), quietMs);
        OPENING.put(d.opener, d);
        synchronized (d) {
            long now = System.nanoTime();
            d.endNs = now + TimeUnit.MILLISECONDS.toNanos(d.limitMs);
            d.resumedNs = now;
            d.scheduleCheck(d.quietMs > 0 ? Math.min(d.limitMs, d.quietMs) : d.limitMs);
        }
        return d;
    }

    /** Why the opening was given up, as a person reads it: "no answer within 60 s", "no answer for 10 s". */
    synchronized String why() {
        if (abandoned != null) {
            return abandoned;
        }
        return silent ? "no answer for " + Liveness.describe(quietMs) : "no answer within " + Liveness.describe(limitMs);
    }

    /** The socket handed out, once there is one. */
    synchronized TimedSocket socket() {
        return socket;
    }

    /** Something the opening waits for that is not the host. */
    interface Wait<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code wait} with the clock stopped: time spent waiting for something other than the host
     * (the SSH agent asking a person to confirm a key, which has its own deadline) is not the host's
     * silence.
     */
    <T> T notCounting(Wait<T> wait) throws IOException {
        long start;
        synchronized (this) {
            paused++;
            start = System.nanoTime();
        }
        try {
            return wait.call();
        } finally {
            synchronized (this) {
                paused--;
                long now = System.nanoTime();
                endNs += now - start;
                resumedNs = now;
                if (!closed && !expired && paused == 0) {
                    // The check may have been put off by a whole limit while paused: look again from now.
                    check.cancel(false);
                    scheduleCheck(quietMs > 0 ? Math.min(limitMs, quietMs) : limitMs);
                }
            }
        }
    }

    /** True once the deadline passed before the connection was open. */
    synchronized boolean expired() {
        return expired;
    }

    /** Hands out the connection's socket, so it can be closed when the deadline passes. */
    SocketFactory socketFactory() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                return watch(new TimedSocket());
            }

            // sshj calls createSocket() and connects it itself; the others connect here, watched all the same.
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return connected(new InetSocketAddress(local, localPort), new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                return connected(new InetSocketAddress(local, localPort), new InetSocketAddress(host, port));
            }

            private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
                Socket s = createSocket();
                try {
                    if (local != null) {
                        s.bind(local);
                    }
                    s.connect(remote);
                    return s;
                } catch (IOException | RuntimeException e) {
                    s.close();
                    throw e;
                }
            }
        };
    }

    private synchronized Socket watch(TimedSocket s) throws IOException {
        socket = s;
        if (expired) {
            s.close();
        }
        return s;
    }

    private void scheduleCheck(long delayMs) {
        check = TIMER.schedule(this::onTimer, Math.max(delayMs, 1), TimeUnit.MILLISECONDS);
    }

    private synchronized void onTimer() {
        if (closed) {
            return;
        }
        if (paused > 0) {
            scheduleCheck(limitMs);
            return;
        }
        long now = System.nanoTime();
        long leftNs = endNs - now;
        if (quietMs > 0) {
            long heard = socket == null ? resumedNs : Math.max(resumedNs, socket.lastInputNs());
            long quietLeftNs = heard + TimeUnit.MILLISECONDS.toNanos(quietMs) - now;
            if (quietLeftNs <= 0 && leftNs > 0) {
                silent = true;
                leftNs = 0;
            }
            leftNs = Math.min(leftNs, quietLeftNs);
        }
        if (leftNs > 0) {
            scheduleCheck(TimeUnit.NANOSECONDS.toMillis(leftNs) + 1);
            return;
        }
        expire();
    }

    /** Called holding the lock. */
    private void expire() {
        expired = true;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all we wanted; the opening thread now fails on its next read.
            }
        }
    }

    /**
     * Gives up at once the opening under way on {@code thread}, if any, {@code why} as its reason: the host
     * it is for was found not answering on another connection, and an opening that had got no answer yet
     * would otherwise wait out its whole deadline for the same host.
     */
    static void abandonOpeningOf(Thread thread, String why) {
        ConnectDeadline d = OPENING.get(thread);
        if (d != null) {
            d.abandon(why);
        }
    }

    private synchronized void abandon(String why) {
        if (closed || expired) {
            return;
        }
        abandoned = why;
        expire();
    }

    /** The connection is open (or given up): stop watching it. */
    @Override
    public synchronized void close() {
        OPENING.remove(opener, this);
        closed = true;
        if (check != null) {
            check.cancel(false);
        }
    }
}
