package cairn.store.image.sync;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Snapshot;
import cairn.store.image.BlockSize;
import cairn.store.repo.Repository;
import java.io.IOException;

/**
 * An image snapshot as a sync source. Its chunk ids are the SHA-256 of its blocks, so comparing needs no
 * store reads at all; only the blocks that differ are fetched (and checked against their ids by the
 * chunk reader). A hole reads as zeros.
 */
public final class SnapshotBlockSource implements BlockSource {
    private final Repository repo;
    private final Snapshot snapshot;
    private final ChunkList chunks;
    private final ZeroHashes zeros;

    private SnapshotBlockSource(Repository repo, Snapshot snapshot, ChunkList chunks) {
        this.repo = repo;
        this.snapshot = snapshot;
        this.chunks = chunks;
        int last = chunks.count() == 0 ? snapshot.blockSize() : chunks.length(chunks.count() - 1);
        this.zeros = new ZeroHashes(snapshot.blockSize(), last);
    }

    /** The snapshot's blocks; fails when it is not an image snapshot or its chunk list is not one of fixed blocks. */
    public static SnapshotBlockSource of(Repository repo, Snapshot s) throws IOException {
        if (s.kind() != Snapshot.Kind.IMAGE) {
            throw new IllegalArgumentException("snapshot " + s.name() + " is a " + s.kind().text()
                    + " snapshot, not an image snapshot");
        }
        BlockSize.check(s.blockSize());
        if (s.imageSha256() == null || s.imageSha256().length != 32) {
            throw new IOException("image snapshot " + s.name() + " has no recorded SHA-256");
        }
        ChunkList list = repo.catalog().contents().get(s.content()).chunks();
        if (list.size() != s.bytes()) {
            throw new IOException("image snapshot " + s.name() + " records " + s.bytes() + " bytes but its chunks hold "
                    + list.size());
        }
        for (int i = 0; i < list.count(); i++) {
            boolean last = i == list.count() - 1;
            int len = list.length(i);
            if (last ? len <= 0 || len > s.blockSize() : len != s.blockSize()) {
                throw new IOException("image snapshot " + s.name() + ": chunk " + i + " is " + len
                        + " bytes, not one block of " + s.blockSize());
            }
        }
        return new SnapshotBlockSource(repo, s, list);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public long size() {
        return chunks.size();
    }

    @Override
    public int blockSize() {
        return snapshot.blockSize();
    }

    @Override
    public byte[] knownHash(long block) {
        int i = Math.toIntExact(block);
        return chunks.isHole(i) ? zeros.hash(chunks.length(i)) : chunks.id(i).toBytes();
    }

    @Override
    public byte[] read(long block) throws IOException {
        int i = Math.toIntExact(block);
        if (chunks.isHole(i)) {
            return new byte[chunks.length(i)];
        }
        return repo.chunks().readOnce(chunks.id(i));
    }

    @Override
    public byte[] knownSha256() {
        return snapshot.imageSha256().clone();
    }

    @Override
    public String describe() {
        return "snapshot " + snapshot.name();
    }

    @Override
    public void close() {
        // The repository belongs to the caller.
    }
}
