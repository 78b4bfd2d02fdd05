package cairn.tools.cli;

import cairn.store.catalog.Entry;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.InUseTargets;
import cairn.store.fsutil.Names;
import cairn.store.fsutil.RawPaths;
import cairn.store.image.ImageName;
import cairn.store.restore.ImageRestore;
import cairn.store.restore.ImageTarget;
import cairn.store.repo.Repository;
import cairn.store.restore.Restorer;
import cairn.store.snapshot.SnapshotTree;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {"Restore a snapshot, or one path in it, with its metadata.",
        "A directory's contents go into TARGET (created if missing); a file is written as TARGET, or into",
        "TARGET when that is an existing directory. An image snapshot is written to a file (sparse), onto a",
        "block device, or with --gzip as a gzip file; its SHA-256 is checked against the snapshot's."})
public final class RestoreCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT[:PATH]")
    String what;

    @Parameters(index = "1", paramLabel = "TARGET")
    TargetPath target;

    @Option(names = "--skip-zero", description = "image onto a device known to hold zeros: write only non-zero blocks")
    boolean skipZero;

    @Option(names = "--gzip", description = "write an image snapshot as a gzip file")
    boolean gzip;

    /**
     * On SIGTERM or SIGINT the restore stops, removes the temporary files it was writing (none takes its
     * real name once the signal came) and ends as "stopped by a signal", with the signal's status.
     */
    @Override
    public Integer call() throws Exception {
        try (SignalStop stop = SignalStop.interrupting()) {
            return stop.run(this::restore);
        }
    }

    private int restore() throws Exception {
        int colon = what.indexOf(':');
        String snap = colon < 0 ? what : what.substring(0, colon);
        String path = colon < 0 ? "" : what.substring(colon + 1);
        long t0 = System.nanoTime();
        try (Repository repo = openRepo();
             Restorer restorer = new Restorer(repo, Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            Snapshot s = SnapshotResolver.resolve(repo.catalog(), snap);
            if (s.kind() == Snapshot.Kind.IMAGE) {
                // SNAP:NAME with the image's own name (as ls and find show it) is the image too.
                byte[] asked = EscapedText.encode(path.startsWith("/") ? path.substring(1) : path);
                byte[] image = ImageName.of(s);
                if (asked.length > 0 && !java.util.Arrays.equals(asked, image)) {
                    throw new IllegalArgumentException("an image snapshot holds one file, " + Names.display(image)
                            + ", restored whole: give SNAPSHOT or SNAPSHOT:" + Names.display(image));
                }
                return restoreImage(repo, s, t0);
            }
            if (skipZero || gzip) {
                throw new IllegalArgumentException("--skip-zero and --gzip are for image snapshots");
            }
            Entry e = SnapshotTree.resolve(repo.catalog(), s, EscapedText.encode(path));
            Path dst = target.path().toAbsolutePath();
            if (e.type() != cairn.store.catalog.EntryType.DIR) {
                // "DIR/" names the directory to restore the file into, never the file itself.
                target.refuseUnlessDirectory();
                if (Files.isDirectory(dst)) {
                    dst = RawPaths.resolve(dst, e.name());
                }
            }
            try (Progress p = new Progress(err(), () -> restorer.files() + " files, " + Sizes.bytes(restorer.bytes())
                    + " (" + Sizes.rate(restorer.bytes(), System.nanoTime() - t0) + ")")) {
                restorer.restore(e, dst);
            }
            long took = System.nanoTime() - t0;
            out().printf("restored %d files, %s from snapshot %s to %s in %.1f s (%s)%n", restorer.files(),
                    Sizes.bytes(restorer.bytes()), s.name(), RawPaths.display(RawPaths.bytes(dst)), took / 1e9, Sizes.rate(restorer.bytes(), took));
            return ExitCodes.OK;
        }
    }

    private int restoreImage(Repository repo, Snapshot s, long t0) throws Exception {
        // As for a file of a tree: "DIR/" is where the image goes, and must be a directory.
        target.refuseUnlessDirectory();
        ImageTarget where = ImageTarget.of(target.path(), nameInDirectory(s));
        Path dst = where.path();
        boolean device = where.isDevice();
        if (skipZero && !device) {
            throw new IllegalArgumentException("--skip-zero is for block devices (a file gets holes anyway)");
        }
        if (gzip && device) {
            throw new IllegalArgumentException("--gzip writes a file, not a block device");
        }
        String user = device ? cairn.store.fsutil.MountedDevices.user(dst) : null;
        if (user != null) {
            throw new IllegalStateException(dst + " is in use (mounted at " + user + "): unmount it before"
                    + " restoring an image onto it");
        }
        if (!device && Files.exists(dst)) {
            // The file is replaced by a rename: a mounted loop device on it would go on writing the old inode.
            InUseTargets.refuseBackingFile(dst);
        }
        ImageRestore.Result res;
        try (ImageRestore r = new ImageRestore(repo, Math.max(2, Runtime.getRuntime().availableProcessors()));
             Progress p = new Progress(err(), () -> Sizes.bytes(r.bytesDone()) + " ("
                     + Sizes.rate(r.bytesDone(), System.nanoTime() - t0) + ")")) {
            res = device ? r.toDevice(s, dst, skipZero) : gzip ? r.toGzip(s, dst) : r.toFile(s, dst);
        }
        // Printed once the progress line is cleared, or the summary would start at its end.
        long took = System.nanoTime() - t0;
        out().printf("restored image %s (%s) from snapshot %s to %s in %.1f s (%s), %s written; sha256 %s"
                        + " checked%n", Names.display(ImageName.of(s)), Sizes.bytes(res.size()), s.name(),
                RawPaths.display(RawPaths.bytes(dst)),
                took / 1e9, Sizes.rate(res.size(), took), Sizes.bytes(res.written()),
                java.util.HexFormat.of().formatHex(s.imageSha256()));
        return ExitCodes.OK;
    }

    /** The image's file name when TARGET is a directory: the snapshot's image name, with .gz for --gzip. */
    private byte[] nameInDirectory(Snapshot s) {
        byte[] name = ImageName.of(s);
        if (!gzip) {
            return name;
        }
        byte[] gz = java.util.Arrays.copyOf(name, name.length + 3);
        System.arraycopy(new byte[] {'.', 'g', 'z'}, 0, gz, name.length, 3);
        return gz;
    }
}
