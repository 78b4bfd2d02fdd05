package cairn.tools.cli;

import cairn.ingest.BackupOptions;
import cairn.ingest.BackupResult;
import cairn.ingest.BackupStats;
import cairn.ingest.TreeBackup;
import cairn.ingest.hooks.Hook;
import cairn.ingest.image.ImageBackup;
import cairn.ingest.image.ImageOptions;
import cairn.ingest.image.ImageSource;
import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.Names;
import cairn.store.image.BlockSize;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {"Back up a directory (tree snapshot), or a disk image or block device",
        "(image snapshot). The last line printed on stdout is the new snapshot's id. Exit status 3: saved,",
        "but some files could not be read (the snapshot is marked partial and lists them)."})
public final class BackupCommand extends RepoCommand {
    @Parameters(paramLabel = "PATH", arity = "0..1",
            description = "directory to back up; a block device is backed up as an image")
    Path source;

    @Option(names = "--image", paramLabel = "FILE",
            description = "back up FILE as a disk image (raw, or gzip-compressed: detected by content)")
    Path image;

    @Option(names = "--block-size", paramLabel = "SIZE",
            description = "image block size, a power of two from 64K to 64M (default 1M)")
    String blockSize;

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

    @Option(names = "--pre-hook", paramLabel = "CMD",
            description = "run CMD (sh -c) before the backup; if it fails, the backup does not run (exit 1)")
    String preHook;

    @Option(names = "--post-hook", paramLabel = "CMD",
            description = "run CMD (sh -c) after the backup, whatever its outcome; $CAIRN_STATUS says how it went")
    String postHook;

    @Override
    public Integer call() throws Exception {
        Path src = image != null ? image : source;
        if (image != null && source != null) {
            throw new IllegalArgumentException("give either PATH or --image FILE, not both");
        }
        if (src == null) {
            throw new IllegalArgumentException("missing PATH (a directory or block device) or --image FILE");
        }
        // Checked before any hook runs; whether it applies at all waits for the source (see backup).
        int block = blockSize == null ? BlockSize.DEFAULT : BlockSize.check(SizeArg.parse(blockSize));
        String sourceText = src.toAbsolutePath().normalize().toString();
        Map<String, String> hookEnv = Map.of(Hook.SOURCE, sourceText, Hook.REPO, repoChoice().dir().toString());
        try (Repository repo = openOrCreate(); RepoLock lock = lockAroundHooks(repo);
             PostHookOnce post = new PostHookOnce(postHook == null ? null : new PostHook(postHook, hookEnv, err()))) {
            Outcome saved = null;
            int code;
            boolean postHookOk;
            try {
                runPreHook(hookEnv);
                saved = backup(repo, src, block);
                // Known before the push: a signal or failure during it must still name the saved snapshot.
                post.saved(saved.snapshot.name());
                code = pushAfter(repo, saved.code);
            } finally {
                // After a failure too (of the pre-hook, or an exception): it is where a half-made LVM snapshot
                // gets removed. The failure's exception still decides the exit status.
                postHookOk = post.afterBackup(saved == null ? "" : saved.snapshot.name(),
                        saved == null ? PostHook.FAILED : saved.snapshot.status().text());
            }
            return !postHookOk && code == ExitCodes.OK ? ExitCodes.FAILURE : code;
        }
    }

    /** New segments go to the targets right away; a target that is down does not undo the snapshot. */
    private int pushAfter(Repository repo, int backupCode) throws java.io.IOException {
        boolean placed = PushCommand.afterBackup(repo, Duration.ofSeconds(lockWait), err());
        return backupCode != ExitCodes.OK ? backupCode : placed ? ExitCodes.OK : ExitCodes.NOT_PLACED;
    }

    private void runPreHook(Map<String, String> env) throws java.io.IOException {
        if (preHook == null) {
            return;
        }
        int code = Hook.run(preHook, env, err()::println);
        if (code != 0) {
            throw new IllegalStateException("pre-hook failed with exit status " + code + ": " + preHook);
        }
    }

    /**
     * The writer lock, held from before the pre-hook until after the post-hook: while one run reads the
     * source, a second one must not run its hooks, which would make or remove the very snapshot it reads.
     * The backup and its push inside take further holds on it.
     */
    private RepoLock lockAroundHooks(Repository repo) throws java.io.IOException {
        try {
            return repo.lockForWriting(Duration.ofSeconds(lockWait));
        } catch (RepoLock.RepositoryLockedException e) {
            String skipped = preHook != null && postHook != null ? "--pre-hook and --post-hook"
                    : preHook != null ? "--pre-hook" : postHook != null ? "--post-hook" : null;
            if (skipped == null) {
                throw e;
            }
            throw new RepoLock.RepositoryLockedException(e.getMessage() + " (" + skipped + " not run)");
        }
    }

    /** A committed snapshot and the exit status it calls for before the push: OK or PARTIAL. */
    private record Outcome(Snapshot snapshot, int code) {
    }

    /**
     * Backs up and commits, without the push. Looks at the source only now, after the pre-hook: the device of an LVM snapshot, or a symlink to
     * it, exists only once the pre-hook has made it.
     */
    private Outcome backup(Repository repo, Path src, int block) throws Exception {
        if (image != null || ImageSource.isBlockDevice(src)) {
            return imageBackup(repo, src, block);
        }
        if (blockSize != null) {
            throw new IllegalArgumentException("--block-size is for image backups (--image FILE or a block device)");
        }
        return treeBackup(repo, src);
    }

    private Repository openOrCreate() throws java.io.IOException {
        RepoOptions.Choice choice = repoChoice();
        if (!choice.named() && !Repository.isRepository(choice.dir())) {
            // The default repository is created on first use, so the first backup is one command.
            Repository.init(choice.dir()).close();
            err().println("cairn: created repository at " + choice.dir());
        }
        return openRepo();
    }

    private Outcome treeBackup(Repository repo, Path src) throws Exception {
        if (!Files.exists(src)) {
            throw new java.nio.file.NoSuchFileException(src.toString(), null, "source does not exist");
        }
        BackupOptions opts = BackupOptions.defaults(src).withLabel(label).withExcludes(excludes)
                .withOneFileSystem(oneFileSystem).withParent(parent).withCompressionLevel(compression)
                .withLockWait(Duration.ofSeconds(lockWait));
        long t0 = System.nanoTime();
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
        return new Outcome(s, result.partial() ? ExitCodes.PARTIAL : ExitCodes.OK);
    }

    private Outcome imageBackup(Repository repo, Path src, int block) throws Exception {
        if (excludes.size() > 0 || oneFileSystem || parent != null) {
            throw new IllegalArgumentException("--exclude, --one-file-system and --parent are for directory backups");
        }
        ImageOptions opts = ImageOptions.defaults(src).withLabel(label).withBlockSize(block)
                .withCompressionLevel(compression).withLockWait(Duration.ofSeconds(lockWait));
        long t0 = System.nanoTime();
        ImageBackup backup = new ImageBackup(repo, opts);
        BackupResult result;
        try (Progress p = new Progress(err(), () -> Sizes.bytes(backup.bytesDone()) + " read ("
                + Sizes.rate(backup.bytesDone(), System.nanoTime() - t0) + ")")) {
            result = backup.run();
        }
        long took = System.nanoTime() - t0;
        Snapshot s = result.snapshot();
        out().printf("snapshot %s saved (%s): image %s, %s in %.1f s (%s), blocks of %s%n", s.name(),
                s.status().text(), Names.display(cairn.store.image.ImageName.of(s)), Sizes.bytes(s.bytes()),
                took / 1e9, Sizes.rate(s.bytes(), took), Sizes.blockSize(s.blockSize()));
        out().printf("new data: %s, stored as %s%n", Sizes.bytes(s.newBytes()), Sizes.bytes(s.storedBytes()));
        out().println("sha256: " + HexFormat.of().formatHex(s.imageSha256()));
        out().println(s.name());
        return new Outcome(s, ExitCodes.OK);
    }

    private static String progressLine(BackupStats st, long t0) {
        long ns = System.nanoTime() - t0;
        return String.format("%d files, %d dirs, %s read (%s)%s", st.files(), st.dirs(), Sizes.bytes(st.bytesRead()),
                Sizes.rate(st.bytesRead(), ns), st.errors() > 0 ? ", " + st.errors() + " errors" : "");
    }
}
