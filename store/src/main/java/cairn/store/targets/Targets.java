package cairn.store.targets;

import cairn.store.catalog.TargetTable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The open connections to a repository's targets, made on first use and kept until close. A target
 * that could not be opened is not tried again for {@link SshPool#BACKOFF_NS}, so a reader whose
 * target is down falls over to the next copy at once; after that one reader tries it again, and the
 * others are turned away meanwhile as before. (A target that stops answering once open is skipped the
 * same way by its store: see {@link SshPool#fail}.) Thread-safe.
 */
public final class Targets implements AutoCloseable {
    /**
     * Connections per SSH target for a push, one per core: each has its own encryption thread here and
     * its own processes there. More than the cores only adds contention (measured on two cores with
     * the server on the same machine: two connections pushed faster than three or four).
     */
    public static final int CONNECTIONS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Map<Long, TargetStore> open = new HashMap<>();
    private final Map<Long, Failure> failed = new HashMap<>();
    /** Targets being opened, and by how many threads. */
    private final Map<Long, Integer> opening = new HashMap<>();
    private boolean closed;

    private record Failure(IOException error, long atNs) {
    }

    /** Opens a store for a URI: checks that it can be reached and its directory exists. */
    public static TargetStore open(TargetUri uri, SshSettings ssh) throws IOException {
        return switch (uri.kind()) {
            case LOCAL -> LocalStore.open(uri.localPath());
            case SFTP -> SftpStore.open(uri, ssh, CONNECTIONS);
        };
    }

    /**
     * A store for readers: over SSH, at most two connections, shared by every reading thread. Each
     * connection costs a key exchange (a good part of a second of CPU in a fresh process), which a
     * restore of a few hundred MB feels, and one connection moves blocks about as fast as a reader
     * consumes them.
     */
    private static TargetStore openForReading(TargetTable.Row row) throws IOException {
        TargetUri uri = TargetUri.parse(row.uri());
        return switch (uri.kind()) {
            case LOCAL -> LocalStore.open(uri.localPath());
            case SFTP -> SftpStore.openForReading(uri, SshSettings.parse(row.options()));
        };
    }

    public static TargetStore open(TargetTable.Row row) throws IOException {
        return open(TargetUri.parse(row.uri()), SshSettings.parse(row.options()));
    }

    /** The store of {@code row}, connecting on first use. */
    public TargetStore store(TargetTable.Row row) throws IOException {
        synchronized (this) {
            TargetStore s = open.get(row.id());
            if (s != null) {
                return s;
            }
            Failure f = failed.get(row.id());
            if (f != null && (System.nanoTime() - f.atNs() < SshPool.BACKOFF_NS || opening.containsKey(row.id()))) {
                throw f.error();
            }
            opening.merge(row.id(), 1, Integer::sum);
        }
        // Connecting can take seconds; other targets' readers must not wait for it.
        try {
            TargetStore s = openForReading(row);
            TargetStore raced;
            boolean wasClosed;
            synchronized (this) {
                wasClosed = closed;
                raced = wasClosed ? null : open.putIfAbsent(row.id(), s);
                if (!wasClosed && raced == null) {
                    failed.remove(row.id());
                    return s;
                }
            }
            try {
                s.close(); // outside the lock, which readers of every target take
            } catch (IOException | RuntimeException ignored) {
                // Nothing was written through it.
            }
            if (wasClosed) {
                throw new IOException("closed while connecting"); // nothing may stay open behind close()
            }
            return raced;
        } catch (IOException e) {
            IOException named = new TargetUnavailableException("target " + row.name() + ": " + e.getMessage(), e);
            synchronized (this) {
                failed.put(row.id(), new Failure(named, System.nanoTime()));
            }
            throw named;
        } finally {
            synchronized (this) {
                opening.computeIfPresent(row.id(), (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (TargetStore s : open.values()) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing connections cannot lose data: nothing is written through a reader's store.
            }
        }
        open.clear();
    }
}
