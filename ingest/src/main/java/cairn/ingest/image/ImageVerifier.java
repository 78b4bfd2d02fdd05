package cairn.ingest.image;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Snapshot;
import cairn.store.chunk.ChunkId;
import cairn.store.concurrent.BoundedPool;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Does an image snapshot hold exactly what an image file, gzip image or block device holds? Reads the
 * source block by block in parallel with the snapshot's block size, compares each block's SHA-256 with
 * the snapshot's chunk list (a hole must be zeros), the size, and the whole image's SHA-256, and
 * reports each run of differing blocks as one line. Nothing is read from the repository but the catalog.
 */
public final class ImageVerifier {
    private final Repository repo;
    private final Consumer<String> report;
    private final int threads;
    private long differences;
    private long blocksCompared;
    private long runStart = -1;
    private long runEnd = -1;
    /** One past the last byte of the current run of differing blocks: a last partial block ends early. */
    private long runEndByte = -1;
    private long deviceBytesNotCompared;

    public ImageVerifier(Repository repo, int threads, Consumer<String> report) {
        this.repo = repo;
        this.threads = threads;
        this.report = report;
    }

    public long differences() {
        return differences;
    }

    public long blocksCompared() {
        return blocksCompared;
    }

    /** Bytes of a block device past the image's size, which {@link #compare} left alone (0 for a file). */
    public long deviceBytesNotCompared() {
        return deviceBytesNotCompared;
    }

    public void compare(Snapshot s, Path sourcePath) throws IOException {
        if (s.kind() != Snapshot.Kind.IMAGE) {
            throw new IOException("snapshot " + s.name() + " is not an image snapshot");
        }
        ChunkList list = repo.catalog().contents().get(s.content()).chunks();
        int bs = s.blockSize();
        ImageSource source = ImageSource.of(sourcePath);
        if (source.kind() == ImageSource.Kind.BLOCK_DEVICE) {
            // restore and sync accept a larger device and write only the image's bytes at its start
            deviceBytesNotCompared = Math.max(0, source.size() - list.size());
        }
        byte[] sha;
        long size;
        try (BlockSource blocks = source.openImageSized(bs, list.size());
             BoundedPool pool = new BoundedPool("cairn-verify", threads, threads * 4)) {
            ImagePass pass = ImagePass.bounded(pool, threads, bs);
            sha = pass.run(blocks, ChunkId::of, b -> {
                long i = b.offset() / bs;
                boolean same = i < list.count() && list.length((int) i) == b.length()
                        && (b.hole() ? list.isHole((int) i) : !list.isHole((int) i) && list.id((int) i).equals(b.id()));
                blocksCompared++;
                long end = b.offset() + b.length();
                mark(i, same, i < list.count() ? Math.max(end, imageEnd(list, (int) i)) : end, bs);
            });
            size = blocks.size();
        }
        if (size < list.size()) {
            for (long i = (size + bs - 1) / bs; i < list.count(); i++) {
                mark(i, false, imageEnd(list, (int) i), bs);
            }
        }
        flushRun(bs);
        if (size != list.size()) {
            differ("size " + list.size() + " in the snapshot, " + size + " in the source");
        }
        if (s.imageSha256() != null && !Arrays.equals(sha, s.imageSha256())) {
            // Shown always; counted as a place only when no block or size told a difference already.
            String line = "sha256 " + HexFormat.of().formatHex(s.imageSha256()) + " in the snapshot, "
                    + HexFormat.of().formatHex(sha) + " in the source";
            if (differences == 0) {
                differ(line);
            } else {
                report.accept(line);
            }
        }
    }

    private static long imageEnd(ChunkList list, int block) {
        return list.start(block) + list.length(block);
    }

    /**
     * Differing blocks are gathered into runs, one line per run. {@code endByte} is one past the block's
     * last byte in the image or the source, whichever is longer there.
     */
    private void mark(long block, boolean same, long endByte, int bs) {
        if (same) {
            flushRun(bs);
            return;
        }
        if (runStart >= 0 && block == runEnd) {
            runEnd = block + 1;
            runEndByte = endByte;
            return;
        }
        flushRun(bs);
        runStart = block;
        runEnd = block + 1;
        runEndByte = endByte;
    }

    private void flushRun(int bs) {
        if (runStart < 0) {
            return;
        }
        long n = runEnd - runStart;
        differ((n == 1 ? "block " + runStart : "blocks " + runStart + ".." + (runEnd - 1)) + " (bytes " + runStart * bs
                + ".." + (runEndByte - 1) + ") differ");
        runStart = -1;
    }

    private void differ(String what) {
        differences++;
        report.accept(what);
    }
}
