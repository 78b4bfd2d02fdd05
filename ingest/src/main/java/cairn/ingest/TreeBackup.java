package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.codec.ChunkCodec;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A tree backup from start to commit. Every catalog row it adds is in one transaction that commits
 * after the last segment is sealed, together with the snapshot row: until then the snapshot does not
 * exist, and a crash leaves only sealed segments, which the next writer adopts.
 */
public final class TreeBackup {
    private final Repository repo;
    private final BackupOptions opts;
    private final BackupStats stats = new BackupStats();

    public TreeBackup(Repository repo, BackupOptions opts) {
        this.repo = repo;
        this.opts = opts;
    }

    /** Live counters, for a progress display. */
    public BackupStats stats() {
        return stats;
    }

    /**
     * Backs up and commits. A full repository disk fails it with a message that says so and names the
     * file (a segment, the catalog), not only "No space left on device"; no snapshot is committed.
     */
    public BackupResult run() throws IOException {
        try {
            return backUp();
        } catch (IOException e) {
            throw repo.whenFull(e);
        }
    }

    private BackupResult backUp() throws IOException {
        Path given = opts.source().toAbsolutePath();
        if (!Files.exists(given)) {
            throw new NoSuchFileException(given.toString(), null, "source does not exist");
        }
        // The real path: every spelling of the same directory (a symlink to it, "dir/.", "a/../dir")
        // is one source, with one parent chain, and the root's metadata is the directory's own.
        Path source = given.toRealPath();
        if (!Files.isDirectory(source)) {
            throw new IOException(source + " is not a directory");
        }
        byte[] sourceBytes = RawPaths.bytes(source);
        Catalog catalog = repo.catalog();
        try (RepoLock lock = repo.lockForWriting(opts.lockWait())) {
            Snapshot parent = findParent(catalog, sourceBytes);
            FileStat rootStat = FileStat.of(source);
            FileStat repoStat = FileStat.of(repo.layout().root());
            long started = System.currentTimeMillis() * 1_000_000L;
            catalog.begin();
            try (ChunkWriter writer = repo.newChunkWriter(new ChunkCodec(opts.compressionLevel()), opts.segmentSize());
                 FileIngester files = new FileIngester(writer, catalog, opts.chunker(), opts.threads(), stats)) {
                ReadErrors errors = new ReadErrors(stats);
                TreeWalker walker = new TreeWalker(catalog, files, new ExcludeRules(opts.excludes()), rootStat.dev(),
                        opts.oneFileSystem(), errors, stats, List.of(repoStat.dev(), repoStat.ino()));
                long root = walker.walk(source, new byte[0], parent == null ? 0 : parent.rootDir(), rootStat.dev(),
                        rootStat.ino());
                writer.finish();
                List<ReadErrors.ReadError> errs = errors.all();
                Snapshot s = new Snapshot(0, SnapshotNames.fresh(catalog), Snapshot.Kind.TREE,
                        errs.isEmpty() ? Snapshot.Status.COMPLETE : Snapshot.Status.PARTIAL, opts.label(), sourceBytes,
                        hostName(), started, System.currentTimeMillis() * 1_000_000L,
                        parent == null ? 0 : parent.id(), root, rootStat.mode(), rootStat.uid(), rootStat.gid(),
                        rootStat.mtimeNs(), 0, 0, null, stats.files(), stats.dirs(), stats.bytes(),
                        writer.newRawBytes(), writer.storedBytes(), errs.size());
                long id;
                synchronized (catalog) {
                    id = catalog.snapshots().insert(s);
                    for (ReadErrors.ReadError e : errs) {
                        catalog.snapshots().addError(id, e.path(), e.reason());
                    }
                    catalog.commit();
                }
                Snapshot saved = catalog.snapshots().byPrefix(s.name()).get(0);
                return new BackupResult(saved, errs, writer.newChunks());
            } catch (FileIngester.StoreFailure e) {
                throw e.io();
            } finally {
                synchronized (catalog) {
                    catalog.rollback();
                }
            }
        }
    }

    private Snapshot findParent(Catalog catalog, byte[] source) throws IOException {
        if (opts.parent() == null) {
            return catalog.snapshots().latestComplete(source, Snapshot.Kind.TREE);
        }
        Snapshot p = SnapshotResolver.resolve(catalog, opts.parent());
        if (p.kind() != Snapshot.Kind.TREE) {
            throw new IOException("parent snapshot " + p.name() + " is not a tree snapshot");
        }
        return p;
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
