package cairn.tools.cli;

import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.Repository;
import cairn.store.restore.Restorer;
import cairn.store.snapshot.SnapshotTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {"Restore a snapshot, or one path in it, with its metadata.",
        "A directory's contents go into TARGET (created if missing); a file is written as TARGET, or into",
        "TARGET when that is an existing directory."})
public final class RestoreCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT[:PATH]")
    String what;

    @Parameters(index = "1", paramLabel = "TARGET")
    Path target;

    @Override
    public Integer call() throws Exception {
        int colon = what.indexOf(':');
        String snap = colon < 0 ? what : what.substring(0, colon);
        String path = colon < 0 ? "" : what.substring(colon + 1);
        long t0 = System.nanoTime();
        try (Repository repo = openRepo();
             Restorer restorer = new Restorer(repo, Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            Snapshot s = SnapshotResolver.resolve(repo.catalog(), snap);
            Entry e = SnapshotTree.resolve(repo.catalog(), s, path.getBytes(StandardCharsets.UTF_8));
            Path dst = target.toAbsolutePath();
            if (e.type() != cairn.store.catalog.EntryType.DIR && Files.isDirectory(dst)) {
                dst = RawPaths.resolve(dst, e.name());
            }
            try (Progress p = new Progress(err(), () -> restorer.files() + " files, " + Sizes.bytes(restorer.bytes())
                    + " (" + Sizes.rate(restorer.bytes(), System.nanoTime() - t0) + ")")) {
                restorer.restore(e, dst);
            }
            long took = System.nanoTime() - t0;
            out().printf("restored %d files, %s from snapshot %s to %s in %.1f s (%s)%n", restorer.files(),
                    Sizes.bytes(restorer.bytes()), s.name(), dst, took / 1e9, Sizes.rate(restorer.bytes(), took));
            return ExitCodes.OK;
        }
    }
}
