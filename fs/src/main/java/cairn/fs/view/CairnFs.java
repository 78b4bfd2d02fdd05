package cairn.fs.view;

import cairn.fs.fuse.Attr;
import cairn.fs.fuse.DirSink;
import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FsException;
import cairn.fs.fuse.ReadBuffer;
import cairn.fs.fuse.ReadOnlyFs;
import cairn.store.catalog.ChunkList;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.Names;
import cairn.store.repo.ChunkReader.ChunkUnavailableException;
import cairn.store.repo.ContentReader;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The read-only view of a repository: every snapshot under its id plus {@code latest}, or one
 * snapshot at the root. Resolves paths to nodes and hands each operation to the node's data; the
 * FUSE plumbing lives in {@link cairn.fs.fuse.FuseAdapter}. Thread-safe.
 */
public final class CairnFs implements ReadOnlyFs, AutoCloseable {
    /**
     * Chunks read ahead of a sequential reader: about 8 MiB at the default 1 MiB average chunk. Three
     * left the decompressing threads idle whenever one chunk took longer than the rest; eight read the
     * 200 MiB text file of the benchmark cold in 0.37 to 0.41 s instead of 0.42 to 0.43 s.
     */
    private static final int READ_AHEAD_CHUNKS = 8;
    /**
     * Bytes read ahead in an image: blocks are fixed-size, so the next ones are known without a lookup, and
     * {@code dd bs=4M} out of the mount wants several blocks decompressing on every core at once.
     */
    private static final long IMAGE_READ_AHEAD_BYTES = 16L << 20;
    private static final byte[] SLASH = {'/'};

    private final Repository repo;
    private final SnapshotList snapshots;
    private final Directories dirs;
    private final Resolver resolver;
    private final ContentReader contents;
    private final ReadAhead readAhead;
    private final ReadFailures failures;
    private final Handles handles = new Handles();

    private CairnFs(Repository repo, Node root, SnapshotList snapshots, Consumer<String> log) {
        this.repo = repo;
        this.snapshots = snapshots;
        this.dirs = new Directories(repo, snapshots);
        this.resolver = new Resolver(root, dirs);
        this.contents = repo.contents();
        // One thread more than there are cores: a read-ahead thread also waits on segment reads from disk.
        this.readAhead = new ReadAhead(repo.chunks(), Math.min(4, Runtime.getRuntime().availableProcessors() + 1));
        this.failures = new ReadFailures(log);
    }

    /** Every snapshot as a directory named by its id, and {@code latest}. */
    public static CairnFs allSnapshots(Repository repo, Consumer<String> log) {
        return new CairnFs(repo, new Node.SnapshotsRoot(), new SnapshotList(repo), log);
    }

    /** One snapshot's tree (or image file) at the root. */
    public static CairnFs oneSnapshot(Repository repo, Snapshot s, Consumer<String> log) {
        return new CairnFs(repo, Directories.snapshotDir(s, false), new SnapshotList(repo), log);
    }

    @Override
    public Attr getattr(byte[] path) throws IOException, FsException {
        Node n = resolver.resolve(path);
        return Attrs.of(n, n instanceof Node.SnapshotsRoot ? snapshots.current() : List.of(), this::dataBytes);
    }

    private long dataBytes(long content) {
        try {
            return repo.catalogOfThread().contents().get(content).chunks().dataBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] readlink(byte[] path) throws IOException, FsException {
        Node n = resolver.resolve(path);
        if (n instanceof Node.Latest l) {
            return l.target().name().getBytes(StandardCharsets.US_ASCII);
        }
        if (n instanceof Node.InSnapshot in && in.entry().type() == EntryType.SYMLINK) {
            byte[] t = in.entry().target();
            return t == null ? new byte[0] : t;
        }
        throw new FsException(Errno.EINVAL);
    }

    @Override
    public long open(byte[] path) throws IOException, FsException {
        Node n = resolver.resolve(path);
        if (!(n instanceof Node.InSnapshot in) || in.entry().type() != EntryType.FILE) {
            throw new FsException(n instanceof Node.InSnapshot || n instanceof Node.SnapshotsRoot ? Errno.EISDIR
                    : Errno.EINVAL);
        }
        long content = in.entry().content();
        ChunkList chunks = content == 0 ? new ChunkList.Builder().build()
                : repo.catalogOfThread().contents().get(content).chunks();
        Snapshot s = in.snapshot();
        if (s.kind() == Snapshot.Kind.IMAGE) {
            int window = (int) Math.max(2, Math.min(32, IMAGE_READ_AHEAD_BYTES / s.blockSize()));
            return handles.add(new OpenFile(chunks, displayPath(s, path), s.blockSize(), window));
        }
        return handles.add(new OpenFile(chunks, displayPath(s, path), 0, READ_AHEAD_CHUNKS));
    }

    @Override
    public int read(long handle, long offset, int len, ReadBuffer dst) throws IOException, FsException {
        OpenFile f = handles.get(handle, OpenFile.class);
        ChunkList cl = f.chunks;
        if (offset >= cl.size() || len <= 0) {
            return 0;
        }
        int want = (int) Math.min(len, cl.size() - offset);
        int first = f.index(offset);
        int last = f.index(offset + want - 1);
        for (int i = first; i <= last; i++) {
            if (!cl.isHole(i)) {
                readAhead.awaitInFlight(cl.id(i));
            }
        }
        int n;
        try {
            n = contents.read(cl, offset, want, new ContentReader.Sink() {
                @Override
                public void copy(int at, byte[] src, int srcOff, int count) {
                    dst.put(at, src, srcOff, count);
                }

                @Override
                public void zero(int at, int count) {
                    dst.zero(at, count);
                }
            });
        } catch (ChunkUnavailableException e) {
            failures.report(f.displayPath, e.segment(), e.getMessage());
            throw e;
        }
        int from = f.afterRead(offset, offset + n, last);
        for (int i = from; i >= 0 && i <= Math.min(cl.count() - 1, last + f.window); i++) {
            if (!cl.isHole(i)) { // a hole reads as zeros without touching the store
                readAhead.prefetch(cl.id(i), cl.length(i));
            }
        }
        return n;
    }

    @Override
    public void release(long handle) {
        handles.remove(handle);
    }

    @Override
    public long opendir(byte[] path) throws IOException, FsException {
        Node n = resolver.resolve(path);
        boolean isDir = n instanceof Node.SnapshotsRoot
                || n instanceof Node.InSnapshot in && in.entry().type() == EntryType.DIR;
        if (!isDir) {
            throw new FsException(Errno.ENOTDIR);
        }
        return handles.add(new DirCursor(n, dirs));
    }

    @Override
    public void readdir(long handle, long offset, DirSink sink) throws IOException, FsException {
        handles.get(handle, DirCursor.class).list(offset, sink);
    }

    @Override
    public void releasedir(long handle) {
        handles.remove(handle);
    }

    /** Open files and directories, for tests and diagnostics. */
    public int openHandles() {
        return handles.size();
    }

    /** For log lines: the path as the user sees it in the mount, and which snapshot it is in. */
    private static String displayPath(Snapshot s, byte[] path) {
        return Names.display(path.length == 0 ? SLASH : path) + " (snapshot " + s.name() + ")";
    }

    @Override
    public void close() {
        readAhead.close();
    }
}
