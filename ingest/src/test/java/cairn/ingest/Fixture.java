package cairn.ingest;

import cairn.store.catalog.Snapshot;
import cairn.store.chunk.ChunkerParams;
import cairn.store.repo.Repository;
import cairn.store.restore.Restorer;
import cairn.store.snapshot.SnapshotTree;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** A repository with small chunks and small segments, so small trees exercise many of both. */
final class Fixture {
    static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(1024, 4096, 16384);
    static final long SMALL_SEGMENTS = 64 << 10;

    private Fixture() {
    }

    static BackupOptions options(Path source) {
        return BackupOptions.defaults(source).withChunker(SMALL_CHUNKS).withSegmentSize(SMALL_SEGMENTS);
    }

    static BackupResult backup(Repository repo, BackupOptions opts) throws IOException {
        return new TreeBackup(repo, opts).run();
    }

    /** Runs a backup and returns it with its live counters, which say how much was read. */
    static Run run(Repository repo, BackupOptions opts) throws IOException {
        TreeBackup b = new TreeBackup(repo, opts);
        BackupResult r = b.run();
        return new Run(r, b.stats());
    }

    record Run(BackupResult result, BackupStats stats) {
        Snapshot snapshot() {
            return result.snapshot();
        }
    }

    static void restore(Repository repo, Snapshot s, Path target) throws IOException {
        try (Restorer r = new Restorer(repo, 2)) {
            r.restore(SnapshotTree.root(s), target);
        }
    }

    /** Differences between the snapshot and {@code dir}, one line each. */
    static List<String> verify(Repository repo, Snapshot s, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        new Verifier(repo, out::add).compareDir(s.rootDir(), dir, "");
        return out;
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(data);
        }
        return file;
    }

    static long segmentFiles(Repository repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo.layout().segmentsDir())) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }
}
