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
 * <p>A host that refused us recently is not asked again for {@link #BACKOFF_NS}: readers then fall
 * over to another copy at once instead of each waiting for a connect timeout.
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
                if (lastFailure != null && System.nanoTime() - lastFailureNs < BACKOFF_NS) {
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
        try {
            SshConnection c = connector.connect();
            synchronized (this) {
                opening--;
                lastFailure = null;
                users.put(c, 1);
                notifyAll();
            }
            return c;
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                opening--;
                if (e instanceof TargetUnavailableException t) {
                    lastFailure = t;
                    lastFailureNs = System.nanoTime();
                }
                notifyAll();
            }
            throw e;
        }
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
    synchronized void give(SshConnection c, boolean broken) {
        Integer n = users.get(c);
        if (n != null) {
            if (broken || closed) {
                users.remove(c);
                c.close();
            } else {
                users.put(c, n - 1);
            }
        }
        notifyAll();
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
