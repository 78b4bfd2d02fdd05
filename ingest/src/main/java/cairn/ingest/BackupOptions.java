package cairn.ingest;

import cairn.store.chunk.ChunkerParams;
import cairn.store.codec.ChunkCodec;
import cairn.store.repo.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything a tree backup is told. {@code parent}: a snapshot id, or null for the latest complete one. */
public record BackupOptions(Path source, String label, List<String> excludes, boolean oneFileSystem,
                            String parent, int compressionLevel, long segmentSize, ChunkerParams chunker,
                            int threads, Duration lockWait) {

    public static BackupOptions defaults(Path source) {
        return new BackupOptions(source, null, List.of(), false, null, ChunkCodec.DEFAULT_LEVEL,
                Repository.DEFAULT_SEGMENT_SIZE, ChunkerParams.DEFAULT,
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ZERO);
    }

    public BackupOptions withLabel(String l) {
        return new BackupOptions(source, l, excludes, oneFileSystem, parent, compressionLevel, segmentSize, chunker,
                threads, lockWait);
    }

    public BackupOptions withExcludes(List<String> e) {
        return new BackupOptions(source, label, List.copyOf(e), oneFileSystem, parent, compressionLevel, segmentSize,
                chunker, threads, lockWait);
    }

    public BackupOptions withOneFileSystem(boolean b) {
        return new BackupOptions(source, label, excludes, b, parent, compressionLevel, segmentSize, chunker, threads,
                lockWait);
    }

    public BackupOptions withParent(String p) {
        return new BackupOptions(source, label, excludes, oneFileSystem, p, compressionLevel, segmentSize, chunker,
                threads, lockWait);
    }

    public BackupOptions withCompressionLevel(int level) {
        return new BackupOptions(source, label, excludes, oneFileSystem, parent, level, segmentSize, chunker, threads,
                lockWait);
    }

    public BackupOptions withSegmentSize(long bytes) {
        return new BackupOptions(source, label, excludes, oneFileSystem, parent, compressionLevel, bytes, chunker,
                threads, lockWait);
    }

    public BackupOptions withChunker(ChunkerParams p) {
        return new BackupOptions(source, label, excludes, oneFileSystem, parent, compressionLevel, segmentSize, p,
                threads, lockWait);
    }

    public BackupOptions withLockWait(Duration d) {
        return new BackupOptions(source, label, excludes, oneFileSystem, parent, compressionLevel, segmentSize, chunker,
                threads, d);
    }
}
