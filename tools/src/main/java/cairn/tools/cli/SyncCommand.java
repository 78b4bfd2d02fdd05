package cairn.tools.cli;

import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.image.BlockSize;
import cairn.store.image.sync.BlockRange;
import cairn.store.image.sync.BlockSource;
import cairn.store.image.sync.BlockSync;
import cairn.store.image.sync.FileBlockSource;
import cairn.store.image.sync.SnapshotBlockSource;
import cairn.store.image.sync.SyncReport;
import cairn.store.image.sync.SyncTarget;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = {"Make TARGET (an image file or block device) a copy of SOURCE (an image",
        "snapshot, or an image file or block device) by writing only the blocks that differ, then check the",
        "result's SHA-256. A regular-file TARGET is created, extended or truncated to SOURCE's size; a device",
        "must be at least as large, and must not be mounted. SOURCE is a file when that path exists, else a",
        "snapshot id (or latest)."})
public final class SyncCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET")
    TargetPath target;

    @Option(names = "--dry-run", description = "list the differing block ranges, write nothing")
    boolean dryRun;

    @Option(names = "--block-size", paramLabel = "N",
            description = "block size for a file SOURCE: a power of two from 64K to 64M (default 1M);"
                    + " a snapshot's blocks are the ones it was backed up with")
    String blockSize;

    @Option(names = "--json", description = "print a JSON object instead of the summary")
    boolean json;

    /**
     * On SIGTERM or SIGINT the sync stops: a new target's temporary file is removed and never takes its
     * name; a target written in place is left as a failed sync leaves it, at its old size, and the line
     * on stderr says how many blocks were written and to run the sync again.
     */
    @Override
    public Integer call() throws Exception {
        try (SignalStop stop = SignalStop.interrupting()) {
            return stop.run(this::syncCommand);
        }
    }

    private int syncCommand() throws Exception {
        if (source.isEmpty()) {
            throw new IllegalArgumentException("SOURCE is empty: an empty path names nothing (an unset variable?)");
        }
        Integer asked = blockSize == null ? null : BlockSize.check(SizeArg.parse(blockSize));
        // A directory is refused later as a target; "NAME/" that is not one must not become a file NAME.
        target.refuseUnlessDirectory();
        Path sourcePath = RawArgs.path(source);
        if (Files.exists(sourcePath)) {
            try (FileBlockSource src = FileBlockSource.open(sourcePath, asked == null ? BlockSize.DEFAULT : asked)) {
                return sync(src, sourcePath);
            }
        }
        try (Repository repo = openSnapshotRepo()) {
            Snapshot s = resolve(repo);
            SnapshotBlockSource src = SnapshotBlockSource.of(repo, s);
            if (asked != null && asked != s.blockSize()) {
                throw new IllegalArgumentException("snapshot " + s.name() + " has " + s.blockSize() + "-byte blocks;"
                        + " --block-size applies to a file source only");
            }
            return sync(src, null);
        }
    }

    private Repository openSnapshotRepo() throws IOException {
        Path dir = repoChoice().dir();
        if (!Repository.isRepository(dir)) {
            throw new IOException("source " + source + " is not a file, and " + dir
                    + " is not a cairn repository to find it in as a snapshot");
        }
        return openRepo();
    }

    private Snapshot resolve(Repository repo) throws IOException {
        try {
            return SnapshotResolver.resolve(repo.catalog(), source);
        } catch (SnapshotResolver.UnknownSnapshotException e) {
            throw new IOException("source " + source + " is neither a file nor a snapshot: " + e.getMessage(), e);
        }
    }

    private int sync(BlockSource src, Path sourcePath) throws IOException {
        BlockSync engine = new BlockSync(Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        try (SyncTarget dst = SyncTarget.open(target.path(), src.size(), sourcePath, dryRun)) {
            SyncReport r;
            try (Progress p = new Progress(err(), () -> progress(engine, System.nanoTime() - t0))) {
                r = engine.run(src, dst, dryRun);
            }
            // After the progress line is cleared, so on a terminal the summary stands on a line of its own
            print(src, dst, r);
        }
        return ExitCodes.OK;
    }

    private static String progress(BlockSync e, long nanos) {
        long done = e.bytesCompared();
        long total = e.totalBytes();
        String left = done == 0 ? "-" : String.format(Locale.ROOT, "%.0f s", (total - done) * (nanos / 1e9) / done);
        return "compared " + Sizes.bytes(done) + " of " + Sizes.bytes(total) + ", " + e.blocksWritten()
                + " blocks written, " + Sizes.rate(done, nanos) + ", " + left + " left";
    }

    private void print(BlockSource src, SyncTarget dst, SyncReport r) {
        if (json) {
            out().println(Json.write(jsonOf(src, dst, r)));
            return;
        }
        String seconds = String.format(Locale.ROOT, "%.1f s", r.nanos() / 1e9);
        String rate = Sizes.rate(r.size(), r.nanos());
        if (r.dryRun()) {
            for (BlockRange g : r.differing()) {
                String blocks = g.blocks() == 1 ? "block " + g.firstBlock() : "blocks " + g.firstBlock() + "-" + g.lastBlock();
                out().printf("differs: %s, bytes %d-%d (%s)%n", blocks, g.offset(), g.offset() + g.length() - 1,
                        Sizes.bytes(g.length()));
            }
            long bytes = r.differing().stream().mapToLong(BlockRange::length).sum();
            out().printf("dry run of %s to %s: %d block%s of %s compared, %d differ (%s) in %s (%s)%s; nothing written%n",
                    src.describe(), dst.path(), r.blocksCompared(), r.blocksCompared() == 1 ? "" : "s", Sizes.blockSize(r.blockSize()), r.blocksDiffering(),
                    Sizes.bytes(bytes), seconds, rate, resized(dst, "would be"));
            return;
        }
        out().printf("synced %s to %s: %d block%s of %s compared, %d written (%s) in %s (%s)%s; SHA-256 %s%n",
                src.describe(), dst.path(), r.blocksCompared(), r.blocksCompared() == 1 ? "" : "s", Sizes.blockSize(r.blockSize()), r.blocksWritten(),
                Sizes.bytes(r.bytesWritten()), seconds, rate, resized(dst, "was"), HexFormat.of().formatHex(r.resultSha256()));
    }

    private static String resized(SyncTarget dst, String verb) {
        if (dst.isNew()) {
            return "; the target " + verb + " created";
        }
        if (dst.isDevice() || dst.oldSize() == dst.newSize()) {
            return "";
        }
        return "; the target " + verb + (dst.newSize() > dst.oldSize() ? " extended" : " truncated") + " from "
                + dst.oldSize() + " to " + dst.newSize() + " bytes";
    }

    private Map<String, Object> jsonOf(BlockSource src, SyncTarget dst, SyncReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", src.describe());
        m.put("target", dst.path().toString());
        m.put("dry_run", r.dryRun());
        m.put("size", r.size());
        m.put("block_size", r.blockSize());
        m.put("blocks_compared", r.blocksCompared());
        m.put("blocks_differing", r.blocksDiffering());
        m.put("blocks_written", r.blocksWritten());
        m.put("bytes_written", r.bytesWritten());
        m.put("target_old_size", dst.oldSize());
        m.put("target_new_size", r.dryRun() ? dst.oldSize() : dst.newSize());
        m.put("seconds", r.nanos() / 1e9);
        m.put("sha256", r.resultSha256() == null ? null : HexFormat.of().formatHex(r.resultSha256()));
        List<Map<String, Object>> ranges = new ArrayList<>();
        for (BlockRange g : r.differing()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("first_block", g.firstBlock());
            x.put("last_block", g.lastBlock());
            x.put("offset", g.offset());
            x.put("length", g.length());
            ranges.add(x);
        }
        m.put("differing", ranges);
        return m;
    }
}
