package cairn.tools.cli;

import cairn.ingest.Verifier;
import cairn.ingest.image.ImageVerifier;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {"Does SNAPSHOT hold exactly what SOURCE holds (a directory, or for an image",
        "snapshot an image file or block device)? Prints each difference (for images, differing block ranges);",
        "exit status 0 when identical, 1 otherwise."})
public final class VerifyCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT")
    String snapshot;

    @Parameters(index = "1", paramLabel = "SOURCE")
    Path source;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = openRepo()) {
            Snapshot s = SnapshotResolver.resolve(repo.catalog(), snapshot);
            if (s.kind() == Snapshot.Kind.IMAGE) {
                return verifyImage(repo, s);
            }
            if (!Files.isDirectory(source)) {
                throw new java.nio.file.NotDirectoryException(source.toString());
            }
            Verifier v = new Verifier(repo, line -> out().println(line));
            v.compareDir(s.rootDir(), source, "");
            if (v.differences() > 0) {
                err().println("cairn: snapshot " + s.name() + " differs from " + source + " in " + v.differences()
                        + " place" + (v.differences() == 1 ? "" : "s"));
                return ExitCodes.FAILURE;
            }
            out().println("snapshot " + s.name() + " matches " + source + " (" + v.filesCompared() + " files compared)");
            return ExitCodes.OK;
        }
    }

    /** An image snapshot against an image file, gzip image or block device: size, every block, the SHA-256. */
    private int verifyImage(Repository repo, Snapshot s) throws Exception {
        ImageVerifier v = new ImageVerifier(repo, Math.max(2, Runtime.getRuntime().availableProcessors()),
                line -> out().println(line));
        v.compare(s, source);
        String notCompared = v.deviceBytesNotCompared() == 0 ? ""
                : "; the device's " + Sizes.bytes(v.deviceBytesNotCompared()) + " past the image were not compared";
        if (v.differences() > 0) {
            err().println("cairn: snapshot " + s.name() + " differs from " + source + " in " + v.differences()
                    + " place" + (v.differences() == 1 ? "" : "s") + notCompared);
            return ExitCodes.FAILURE;
        }
        out().println("snapshot " + s.name() + " matches " + source + " (" + v.blocksCompared() + " blocks and the"
                + " sha256 compared" + notCompared + ")");
        return ExitCodes.OK;
    }
}
