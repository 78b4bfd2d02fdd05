package cairn.store.targets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Up to {@code max} SSH connections to one host, for the threads that read and push. A new connection
 * is opened only when every open one is busy, since each costs a key exchange.
 *
 * <p>Exclusive pools hand a connection to one thread at a time (a push: each connection encrypts on
 * its own thread here and has its own processes there, and the remote shell serves one command at a
 * time). Shared pools let several threads use a connection at once: SFTP requests carry ids and are
 * answered independently, so concurrent reads multiplex over one connection without waiting.
 *
 * <p>A host that refused us recently, or stopped answering ({@link #fail}), is not asked again for
 * {@link #BACKOFF_NS}: readers then fall over to another copy at once instead of each waiting for a
 * connect timeout or a {@link Liveness} bound. After that, one thread tries it again (a new connection);
 * until it knows, the others are turned away as before rather than waiting for it too.
 */
final class SshPool implements AutoCloseable {
    static final long BACKOFF_NS = 30_000_000_000L;

    interface Connector {
        SshConnection connect() throws IOException;
    }

    private final Connector connector;
    private final int max;
    private final boolean shared;
    /** Open connections and how many threads use each. */
    private final Map<SshConnection, Integer> users = new IdentityHashMap<>();
    /** The threads opening a connection now, whose openings {@link #fail} abandons; guarded by this. */
    private final java.util.Set<Thread> openers = new java.util.HashSet<>();
    private int opening;
    private boolean closed;
    private TargetUnavailableException lastFailure;
    private long lastFailureNs;

    SshPool(Connector connector, int max, boolean shared) {
        this.connector = connector;
        this.max = max;
        this.shared = shared;
    }

    /** A free connection, a new one, a shared one, or the next one given back. */
    SshConnection take() throws IOException {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IOException("connection pool is closed");
                }
                if (lastFailure != null && (System.nanoTime() - lastFailureNs < BACKOFF_NS || opening > 0)) {
                    throw new TargetUnavailableException(lastFailure.getMessage(), lastFailure);
                }
                SshConnection pick = leastUsed();
                if (pick != null && !pick.isConnected()) {
                    users.remove(pick);
                    pick.close();
                    continue;
                }
                if (pick != null && users.get(pick) == 0) {
                    return use(pick);
                }
                if (users.size() + opening < max) {
                    opening++;
                    break;
                }
                if (shared && pick != null) {
                    return use(pick);
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for an SSH connection", e);
                }
            }
        }
        long startNs = System.nanoTime();
        SshConnection c;
        synchronized (this) {
            openers.add(Thread.currentThread());
        }
        try {
            c = connector.connect();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                openers.remove(Thread.currentThread());
                opening--;
                notifyAll();
                if (lastFailure != null && lastFailureNs - startNs > 0) {
                    // Abandoned (or failed) because the host was found not answering meanwhile: say that.
                    throw new TargetUnavailableException(lastFailure.getMessage(), lastFailure);
                }
                if (e instanceof TargetUnavailableException t) {
                    lastFailure = t;
                    lastFailureNs = System.nanoTime();
                }
            }
            throw e;
        }
        IOException meanwhile = null;
        synchronized (this) {
            openers.remove(Thread.currentThread());
            opening--;
            if (closed) {
                meanwhile = new IOException("connection pool is closed"); // nothing may stay open behind close()
            } else if (lastFailure != null && lastFailureNs - startNs > 0) {
                // The host was found not answering while this one connected: it is failing all the same.
                meanwhile = new TargetUnavailableException(lastFailure.getMessage(), lastFailure);
            } else {
                lastFailure = null;
                users.put(c, 1);
            }
            notifyAll();
        }
        if (meanwhile != null) {
            c.cut();
            c.close();
            throw meanwhile;
        }
        return c;
    }

    private SshConnection leastUsed() {
        SshConnection best = null;
        for (Map.Entry<SshConnection, Integer> e : users.entrySet()) {
            if (best == null || e.getValue() < users.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private SshConnection use(SshConnection c) {
        users.merge(c, 1, Integer::sum);
        return c;
    }

    /** Gives a connection back; a broken one is closed for every user and its slot freed. */
    void give(SshConnection c, boolean broken) {
        boolean close = false;
        synchronized (this) {
            Integer n = users.get(c);
            if (n != null) {
                if (broken || closed) {
                    users.remove(c);
                    close = true;
                } else {
                    users.put(c, n - 1);
                }
            }
            notifyAll();
        }
        if (close) {
            c.close(); // outside the lock: closing may wait for the host, the other users need not
        }
    }

    /**
     * Marks the host as failing, since an operation found it not answering: every connection to it is
     * cut, which fails at once whatever other threads were waiting for on them (they then find the host
     * failing here and fall over too), and none is made again for {@link #BACKOFF_NS}.
     */
    void fail(TargetUnavailableException e) {
        List<SshConnection> dropped;
        synchronized (this) {
            if (lastFailure == e) {
                return; // told already, by another user of a connection it cut
            }
            lastFailure = e;
            lastFailureNs = System.nanoTime();
            dropped = new ArrayList<>(users.keySet());
            users.clear(); // their users' give() then finds nothing to give back
            notifyAll();
            for (Thread t : openers) {
                ConnectDeadline.abandonOpeningOf(t, "given up: " + e.getMessage());
            }
        }
        for (SshConnection c : dropped) {
            c.cut(e);
        }
        for (SshConnection c : dropped) {
            c.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        List<SshConnection> all = new ArrayList<>(users.keySet());
        users.clear();
        all.forEach(SshConnection::close);
        notifyAll();
    }
}
