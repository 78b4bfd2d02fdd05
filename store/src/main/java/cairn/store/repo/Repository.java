package cairn.store.repo;

import cairn.store.catalog.Catalog;
import cairn.store.codec.ChunkCodec;
import cairn.store.fsutil.AtomicFiles;
import cairn.store.fsutil.DiskFull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A repository directory: marker, catalog, segments, lock. The entry point of the store.
 *
 * <p>{@link #catalog()} is the connection of the thread that opened the repository (the writer's);
 * {@link #catalogOfThread()} gives every other thread a connection of its own.
 */
public final class Repository implements AutoCloseable {
    public static final int FORMAT_VERSION = 1;
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final RepoLayout layout;
    private final String id;
    private final Catalog catalog;
    /** Reader connections by the thread that owns each; a dead thread's is closed by the next opener. */
    private final Map<Thread, Catalog> threadCatalogs = new HashMap<>();
    private final ThreadLocal<Catalog> perThread;
    private final ChunkReader reader;
    /** The writer lock this repository took last, perhaps released since; guarded by this. */
    private RepoLock writerLock;

    private Repository(RepoLayout layout, String id, Catalog catalog, long cacheBytes) {
        this.layout = layout;
        this.id = id;
        this.catalog = catalog;
        Thread owner = Thread.currentThread();
        this.perThread = ThreadLocal.withInitial(() -> Thread.currentThread() == owner ? catalog : openReaderCatalog());
        this.reader = new ChunkReader(layout, this::catalogOfThread, new ChunkCache(cacheBytes));
    }

    /** Creates a repository in {@code dir}, which must be missing or empty. */
    public static Repository init(Path dir) throws IOException {
        RepoLayout layout = new RepoLayout(dir);
        if (Files.exists(layout.marker())) {
            throw new IOException(dir + " is already a cairn repository");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(dir + " is not empty: a repository needs a directory of its own");
                }
            }
        }
        Files.createDirectories(dir);
        Files.createDirectories(layout.segmentsDir());
        Files.createDirectories(layout.tmpDir());
        byte[] rid = new byte[16];
        new SecureRandom().nextBytes(rid);
        String id = HexFormat.of().formatHex(rid);
        Catalog.create(layout.catalog(), id).close();
        // The marker goes last: a directory with a marker always has a usable catalog.
        AtomicFiles.write(layout.marker(), new RepoMarker(FORMAT_VERSION, id).text().getBytes());
        return open(dir);
    }

    /**
     * Creates a repository in {@code dir} (missing or empty) around {@code catalogCopy}, a catalog
     * recovered from a target, which is moved into place. The repository keeps the id the catalog
     * names; it starts with no local segments, so reads go to the targets its catalog lists.
     */
    public static Repository recreate(Path dir, Path catalogCopy) throws IOException {
        RepoLayout layout = new RepoLayout(dir);
        requireEmpty(dir, layout);
        Files.createDirectories(layout.segmentsDir());
        Files.createDirectories(layout.tmpDir());
        String id;
        try (Catalog c = Catalog.open(catalogCopy, false)) {
            String integrity = c.integrityCheck();
            if (!"ok".equals(integrity)) {
                throw new IOException("the recovered catalog is damaged: " + integrity);
            }
            id = c.meta("repository_id");
        } catch (java.sql.SQLException e) {
            throw new IOException("the recovered catalog has no repository id: " + e.getMessage(), e);
        }
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new IOException("the recovered catalog has no valid repository id");
        }
        Files.move(catalogCopy, layout.catalog(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(dir);
        AtomicFiles.write(layout.marker(), new RepoMarker(FORMAT_VERSION, id).text().getBytes());
        return open(dir);
    }

    /** A new repository needs a directory of its own: missing, or empty but for {@code tmp/}. */
    private static void requireEmpty(Path dir, RepoLayout layout) throws IOException {
        if (Files.exists(layout.marker())) {
            throw new IOException(dir + " is already a cairn repository");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> !p.equals(layout.tmpDir()))) {
                    throw new IOException(dir + " is not empty: a repository needs a directory of its own");
                }
            }
        }
    }

    public static Repository open(Path dir) throws IOException {
        return open(dir, DEFAULT_CACHE_BYTES);
    }

    public static Repository open(Path dir, long cacheBytes) throws IOException {
        RepoLayout layout = new RepoLayout(dir);
        if (!Files.isDirectory(dir)) {
            throw new RepoMarker.NotARepositoryException(dir + " is not a cairn repository (no such directory);"
                    + " create one with: cairn --repo " + dir + " init");
        }
        RepoMarker marker = RepoMarker.read(layout.marker(), dir);
        if (marker.version() > FORMAT_VERSION) {
            throw new IOException("repository " + dir + " has format version " + marker.version()
                    + ", newer than this cairn supports (" + FORMAT_VERSION + "): upgrade cairn");
        }
        Catalog c = Catalog.open(layout.catalog(), false);
        return new Repository(layout, marker.id(), c, cacheBytes);
    }

    public static boolean isRepository(Path dir) {
        return Files.isRegularFile(new RepoLayout(dir).marker());
    }

    public RepoLayout layout() {
        return layout;
    }

    public String id() {
        return id;
    }

    /** The opening thread's catalog connection: the one a writer's transaction runs on. */
    public Catalog catalog() {
        return catalog;
    }

    /** This thread's own catalog connection (the opening thread gets {@link #catalog()}). */
    public Catalog catalogOfThread() {
        return perThread.get();
    }

    private Catalog openReaderCatalog() {
        try {
            Catalog c = Catalog.openReader(layout.catalog());
            synchronized (threadCatalogs) {
                // Thread pools and FUSE start and end threads over a long run: their connections
                // (each with its own page cache) must not pile up.
                var it = threadCatalogs.entrySet().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    if (!e.getKey().isAlive()) {
                        e.getValue().close();
                        it.remove();
                    }
                }
                threadCatalogs.put(Thread.currentThread(), c);
            }
            return c;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How many reader connections are open (for tests of their life cycle). */
    int readerConnections() {
        synchronized (threadCatalogs) {
            return threadCatalogs.size();
        }
    }

    public ChunkReader chunks() {
        return reader;
    }

    public ContentReader contents() {
        return new ContentReader(reader);
    }

    /**
     * Takes the writer lock and cleans up after any writer that crashed. When this repository holds the
     * lock already, returns another hold on it: the step asking runs inside the one that took it.
     */
    public synchronized RepoLock lockForWriting(Duration wait) throws IOException {
        RepoLock held = writerLock == null ? null : writerLock.hold();
        if (held != null) {
            return held;
        }
        RepoLock lock = RepoLock.acquire(layout.lock(), wait);
        try {
            new CrashRecovery(layout, catalog).run();
            writerLock = lock;
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A writer for new chunks; the caller holds the lock and has begun a catalog transaction. */
    public ChunkWriter newChunkWriter(ChunkCodec codec, long segmentSize) throws IOException {
        DedupFilter filter = new DedupFilter();
        catalog.chunks().forEachPrefix(filter::add);
        // With targets, a push reads the new segments right after the backup: keep them in the page cache then.
        boolean willPush;
        synchronized (catalog) {
            willPush = !catalog.targets().all().isEmpty();
        }
        return new ChunkWriter(layout, catalog, filter, codec, segmentSize, !willPush);
    }

    /**
     * {@code e} as the failure of a writer of this repository: when the disk is full, one that says it
     * is the repository's disk and names the file (a segment's is in {@code e}'s message already, as
     * {@link ChunkWriter} words it; SQLite's SQLITE_FULL is the catalog's); any other failure as it is.
     */
    public IOException whenFull(IOException e) {
        if (!DiskFull.is(e)) {
            return e;
        }
        String what = DiskFull.isSqlite(e) ? "cannot write the catalog " + layout.catalog() + ": database or disk is full"
                : e.getMessage();
        if (what == null || !what.contains(layout.root().toString())) {
            what = what + " (in repository " + layout.root() + ")";
        }
        return new IOException("the repository's disk is full: " + what, e);
    }

    @Override
    public void close() {
        reader.close();
        synchronized (threadCatalogs) {
            threadCatalogs.values().forEach(Catalog::close);
            threadCatalogs.clear();
        }
        catalog.close();
    }
}
