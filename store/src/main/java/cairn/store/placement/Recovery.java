package cairn.store.placement;

import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import cairn.store.targets.SshSettings;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetMarker;
import cairn.store.targets.TargetStore;
import cairn.store.targets.TargetUnavailableException;
import cairn.store.targets.TargetUri;
import cairn.store.targets.Targets;
import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Rebuilds a repository from one target alone: the target's marker says which repository and which
 * target it is, its catalog copy becomes the new repository's catalog, and its segments stay where
 * they are, read from there (or pushed back to a local disk by adding it as a target). The target's
 * row is pointed at the URI it was found under, which may differ from the one it was added with.
 */
public final class Recovery {
    private Recovery() {
    }

    public record Result(String repositoryId, String targetName, long snapshots, long segments) {
    }

    public static Result recover(String uriText, SshSettings ssh, Path newRepo) throws IOException {
        TargetUri uri = TargetUri.parse(uriText);
        if (Repository.isRepository(newRepo)) {
            throw new IOException(newRepo + " is already a cairn repository");
        }
        if (Files.isDirectory(newRepo)) {
            try (var s = Files.list(newRepo)) {
                // tmp/ may be left by an earlier attempt that failed.
                if (s.anyMatch(p -> !p.getFileName().toString().equals("tmp"))) {
                    throw new IOException(newRepo + " is not empty: recover into a new directory");
                }
            }
        }
        try (TargetStore store = Targets.open(uri, ssh)) {
            TargetMarker marker = TargetDirs.readMarker(store);
            if (marker == null) {
                throw new TargetUnavailableException(uri + " is not a cairn target (no " + TargetLayout.MARKER + ")");
            }
            if (store.size(TargetLayout.CATALOG_COPY) < 0) {
                throw new IOException(uri + " has no catalog copy (" + TargetLayout.CATALOG_COPY
                        + "): no push to it ever finished");
            }
            Path tmp = newRepo.resolve("tmp");
            Files.createDirectories(tmp);
            Path zst = tmp.resolve("recovered-catalog.db.zst");
            Path db = tmp.resolve("recovered-catalog.db");
            store.download(TargetLayout.CATALOG_COPY, zst);
            try (InputStream in = new ZstdInputStream(Files.newInputStream(zst));
                 OutputStream out = Files.newOutputStream(db)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new IOException("the catalog copy on " + uri + " cannot be decompressed: " + e.getMessage(), e);
            } finally {
                Files.deleteIfExists(zst);
            }
            try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try (Repository repo = Repository.recreate(newRepo, db)) {
                if (!repo.id().equals(marker.repositoryId())) {
                    throw new IOException("the catalog copy on " + uri + " belongs to repository " + repo.id()
                            + ", the target's marker to " + marker.repositoryId());
                }
                TargetTable.Row row = repo.catalog().targets().byName(marker.targetName());
                if (row == null) {
                    throw new IOException("the catalog copy on " + uri + " does not know target " + marker.targetName());
                }
                repo.catalog().targets().setUri(row.id(), uri.toString(),
                        uri.kind() == TargetUri.Kind.SFTP ? ssh.options() : "");
                CatalogHead.startRecoveredCopy(repo.catalog());
                return new Result(repo.id(), row.name(), repo.catalog().count("snapshots"),
                        repo.catalog().count("segments"));
            }
        }
    }
}
