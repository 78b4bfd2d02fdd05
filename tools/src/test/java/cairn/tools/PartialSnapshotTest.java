package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.SnapshotResolver;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that meets files it cannot read saves what it could as a partial snapshot, lists what it
 * could not, and exits with 3.
 *
 * <p>How the files are made unreadable, honestly: root reads mode-000 files, and CI runs as root. So the
 * backup itself runs as the unprivileged user 65534 (nobody, {@link AsNobody}). The repository is chowned
 * to 65534; the source holds a root-owned 0600 file and a root-owned 0700 directory, which nobody really
 * cannot open: the kernel says EACCES, exactly as for any user's unreadable file.
 */
class PartialSnapshotTest {
    @TempDir
    Path tmp;

    @Test
    void unreadableEntriesMakeAPartialSnapshotAndExitStatus3() throws Exception {
        AsNobody nobody = new AsNobody(tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("readable.txt"), "anyone may read this\n".getBytes());
        Files.createDirectories(src.resolve("open"));
        Files.write(src.resolve("open/more.txt"), "and this\n".getBytes());
        Files.write(src.resolve("secret.txt"), "root only\n".getBytes());
        Files.createDirectories(src.resolve("private"));
        Files.write(src.resolve("private/inside.txt"), "root only\n".getBytes());
        Proc.sh(src, "chmod 0755 . open && chmod 0644 readable.txt open/more.txt && chmod 0600 secret.txt"
                + " && chmod 0700 private");

        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        Proc.sh(tmp, "chown -R " + AsNobody.UID + ":" + AsNobody.UID + " repo");
        // Check the premise: nobody really cannot read the secret, and can read the rest.
        assertEquals(1, Proc.run(src, nobody.command("cat", "secret.txt")).code(), "nobody could read secret.txt");
        assertEquals(0, Proc.run(src, nobody.command("cat", "readable.txt")).code());

        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Proc.Output o = nobody.cairn(logs, "--repo", repo.toString(), "backup", src.toString());
        assertEquals(3, o.code(), "backup as nobody: " + o);
        assertTrue(o.err().contains("cairn: could not read secret.txt: permission denied"), o.err());
        assertTrue(o.err().contains("cairn: could not read private: permission denied"), o.err());
        assertTrue(o.out().contains("the snapshot is partial"), o.out());
        String id = Cli.lines(o.out()).get(Cli.lines(o.out()).size() - 1);

        List<Map<String, Object>> snaps = Json.array(Cli.expect(0, repo, "snapshots", "--json").out());
        assertEquals(1, snaps.size());
        assertEquals(id, snaps.get(0).get("id"));
        assertEquals("partial", snaps.get(0).get("status"));
        assertEquals(2L, snaps.get(0).get("errors"));

        // The error list is stored with the snapshot, path and reason, and `errors` shows it.
        List<String> listed = Cli.lines(Cli.expect(0, repo, "errors", id).out());
        listed.sort(null);
        assertEquals(List.of("private: permission denied", "secret.txt: permission denied"), listed);
        List<String> fromJson = new ArrayList<>();
        for (Map<String, Object> e : Json.array(Cli.expect(0, repo, "errors", "--json", "latest").out())) {
            fromJson.add(e.get("path") + ": " + e.get("reason"));
        }
        fromJson.sort(null);
        assertEquals(listed, fromJson);

        // What could be read is in the snapshot and restores; what could not is absent, not empty.
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        assertEquals("anyone may read this\n", Files.readString(dst.resolve("readable.txt")));
        assertEquals("and this\n", Files.readString(dst.resolve("open/more.txt")));
        assertFalse(Files.exists(dst.resolve("secret.txt")), "an unreadable file must not be restored as empty");
        assertFalse(Files.exists(dst.resolve("private/inside.txt")));

        // Run as root, the same source gives a complete snapshot. A partial snapshot is never the parent
        // of the next backup: what it missed must be tried again, so everything is read afresh.
        Cli.Result full = Cli.expect(0, repo, "backup", src.toString());
        assertFalse(full.out().contains("partial"), full.toString());
        String fullId = Cli.lines(full.out()).get(Cli.lines(full.out()).size() - 1);
        try (Repository r = Repository.open(repo)) {
            assertEquals(0, SnapshotResolver.resolve(r.catalog(), fullId).parent());
        }
    }
}
