package cairn.ingest.image;

import cairn.store.codec.ChunkCodec;
import cairn.store.image.BlockSize;
import cairn.store.repo.Repository;
import java.nio.file.Path;
import java.time.Duration;

/** Everything an image backup is told. */
public record ImageOptions(Path source, String label, int blockSize, int compressionLevel, long segmentSize,
                           int threads, Duration lockWait) {

    public static ImageOptions defaults(Path source) {
        return new ImageOptions(source, null, BlockSize.DEFAULT, ChunkCodec.DEFAULT_LEVEL,
                Repository.DEFAULT_SEGMENT_SIZE, Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ZERO);
    }

    public ImageOptions withLabel(String l) {
        return new ImageOptions(source, l, blockSize, compressionLevel, segmentSize, threads, lockWait);
    }

    public ImageOptions withBlockSize(int b) {
        return new ImageOptions(source, label, BlockSize.check(b), compressionLevel, segmentSize, threads, lockWait);
    }

    public ImageOptions withCompressionLevel(int level) {
        return new ImageOptions(source, label, blockSize, level, segmentSize, threads, lockWait);
    }

    public ImageOptions withLockWait(Duration d) {
        return new ImageOptions(source, label, blockSize, compressionLevel, segmentSize, threads, d);
    }
}
