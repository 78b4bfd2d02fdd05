package cairn.tools.cli;

import cairn.ingest.BackupOptions;
import cairn.ingest.BackupResult;
import cairn.ingest.BackupStats;
import cairn.ingest.TreeBackup;
import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.Names;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {"Back up a directory as a new snapshot.",
        "The last line printed on stdout is the new snapshot's id. Exit status 3: saved, but some",
        "files could not be read (the snapshot is marked partial and lists them)."})
public final class BackupCommand extends RepoCommand {
    @Parameters(paramLabel = "PATH", description = "directory to back up")
    Path source;

    @Option(names = "--label", paramLabel = "L", description = "a label to find the snapshot by")
    String label;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "skip entries matching GLOB (repeatable); a"
            + " pattern with a slash matches the path under PATH, one without matches names")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--one-file-system", description = "do not descend into other file systems")
    boolean oneFileSystem;

    @Option(names = "--parent", paramLabel = "SNAPSHOT",
            description = "compare with this snapshot to skip unchanged files (default: latest complete one of PATH)")
    String parent;

    @Option(names = "--compression", paramLabel = "LEVEL", defaultValue = "3", description = "zstd level 1-19 (default 3)")
    int compression;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "wait this long for another writer to finish (default 0)")
    long lockWait;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(source)) {
            throw new java.nio.file.NoSuchFileException(source.toString(), null, "source does not exist");
        }
        RepoOptions.Choice choice = repoChoice();
        if (!choice.named() && !Repository.isRepository(choice.dir())) {
            // The default repository is created on first use, so the first backup is one command.
            Repository.init(choice.dir()).close();
            err().println("cairn: created repository at " + choice.dir());
        }
        BackupOptions opts = BackupOptions.defaults(source).withLabel(label).withExcludes(excludes)
                .withOneFileSystem(oneFileSystem).withParent(parent).withCompressionLevel(compression)
                .withLockWait(Duration.ofSeconds(lockWait));
        long t0 = System.nanoTime();
        try (Repository repo = openRepo()) {
            TreeBackup backup = new TreeBackup(repo, opts);
            BackupResult result;
            try (Progress p = new Progress(err(), () -> progressLine(backup.stats(), t0))) {
                result = backup.run();
            }
            long took = System.nanoTime() - t0;
            for (var e : result.errors()) {
                err().println("cairn: could not read " + Names.display(e.path()) + ": " + e.reason());
            }
            Snapshot s = result.snapshot();
            out().printf("snapshot %s saved (%s): %d files, %d dirs, %s in %.1f s (%s)%n", s.name(), s.status().text(),
                    s.files(), s.dirs(), Sizes.bytes(s.bytes()), took / 1e9, Sizes.rate(s.bytes(), took));
            out().printf("new data: %s, stored as %s%n", Sizes.bytes(s.newBytes()), Sizes.bytes(s.storedBytes()));
            if (result.partial()) {
                out().println(result.errors().size() + " entries could not be read; the snapshot is partial");
            }
            out().println(s.name());
            // New segments go to the targets right away; a target that is down does not undo the snapshot.
            boolean placed = PushCommand.afterBackup(repo, Duration.ofSeconds(lockWait), err());
            return result.partial() ? ExitCodes.PARTIAL : placed ? ExitCodes.OK : ExitCodes.NOT_PLACED;
        }
    }

    private static String progressLine(BackupStats st, long t0) {
        long ns = System.nanoTime() - t0;
        return String.format("%d files, %d dirs, %s read (%s)%s", st.files(), st.dirs(), Sizes.bytes(st.bytesRead()),
                Sizes.rate(st.bytesRead(), ns), st.errors() > 0 ? ", " + st.errors() + " errors" : "");
    }
}
