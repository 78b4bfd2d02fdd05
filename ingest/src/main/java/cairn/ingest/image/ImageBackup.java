package cairn.ingest.image;

import cairn.ingest.BackupResult;
import cairn.ingest.SnapshotNames;
import cairn.ingest.TreeBackup;
import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Snapshot;
import cairn.store.codec.ChunkCodec;
import cairn.store.concurrent.BoundedPool;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.util.List;

/**
 * An image backup (a disk image file, a gzip-compressed one, or a block device) from start to commit.
 * Fixed-size blocks aligned to the image's offsets, so offset → block is arithmetic for the mount and
 * {@code sync}, and an unchanged block of a changed image is the same chunk as before: a second backup
 * of a disk with 2% changed stores about 2% (no parent needed, chunk ids dedup across all snapshots).
 * All-zero blocks are stored as holes. Like a tree backup, every row is in one transaction committed
 * after the last segment is sealed; any failure (a read error, a source that changed size) leaves no
 * snapshot at all.
 */
public final class ImageBackup {
    private final Repository repo;
    private final ImageOptions opts;
    private volatile ImagePass pass;

    public ImageBackup(Repository repo, ImageOptions opts) {
        this.repo = repo;
        this.opts = opts;
    }

    /** Image bytes read and consumed so far, for a progress display. */
    public long bytesDone() {
        ImagePass p = pass;
        return p == null ? 0 : p.bytesDone.get();
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
        ImageSource source = ImageSource.of(opts.source());
        long heap = ImagePass.heapNeeded(opts.threads(), opts.blockSize()) + (64L << 20);
        if (heap > Runtime.getRuntime().maxMemory()) {
            throw new IOException("block size " + opts.blockSize() + " needs about " + (heap >> 20)
                    + " MiB of heap, more than this JVM has (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): use a smaller --block-size or set CAIRN_HEAP");
        }
        byte[] sourceBytes = RawPaths.bytes(source.path());
        Catalog catalog = repo.catalog();
        try (RepoLock lock = repo.lockForWriting(opts.lockWait());
             BlockSource blocks = source.open(opts.blockSize())) {
            Snapshot parent = catalog.snapshots().latestComplete(sourceBytes, Snapshot.Kind.IMAGE);
            long started = System.currentTimeMillis() * 1_000_000L;
            catalog.begin();
            try (ChunkWriter writer = repo.newChunkWriter(new ChunkCodec(opts.compressionLevel()), opts.segmentSize());
                 BoundedPool pool = new BoundedPool("cairn-image", opts.threads(), opts.threads() * 4)) {
                ImagePass p = new ImagePass(pool, opts.threads(), opts.blockSize());
                pass = p;
                ChunkList.Builder list = new ChunkList.Builder();
                byte[] sha256 = p.run(blocks, writer::put, b -> {
                    if (b.hole()) {
                        list.addHole(b.length());
                    } else {
                        list.add(b.id(), b.length());
                    }
                });
                blocks.finish();
                writer.finish();
                ChunkList chunks = list.build();
                String name;
                synchronized (catalog) {
                    long content = catalog.contents().intern(chunks);
                    name = SnapshotNames.fresh(catalog);
                    Snapshot s = new Snapshot(0, name, Snapshot.Kind.IMAGE, Snapshot.Status.COMPLETE, opts.label(),
                            sourceBytes, TreeBackup.hostName(), started, System.currentTimeMillis() * 1_000_000L,
                            parent == null ? 0 : parent.id(), 0, source.stMode(), 0, 0, 0, content,
                            opts.blockSize(), sha256, 1, 0, chunks.size(), writer.newRawBytes(), writer.storedBytes(),
                            0);
                    catalog.snapshots().insert(s);
                    catalog.commit();
                }
                Snapshot saved = catalog.snapshots().byPrefix(name).get(0);
                return new BackupResult(saved, List.of(), writer.newChunks());
            } finally {
                synchronized (catalog) {
                    catalog.rollback();
                }
            }
        }
    }
}
