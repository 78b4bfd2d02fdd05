package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the source directory is named and where it ends: symlinks, spellings of the path, mount points. */
class SourceEdgeCasesTest {
    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    /** The source's own mode must come from the directory, not from a symlink that names it. */
    @Test
    void aSourceNamedThroughASymlinkKeepsTheDirectorysOwnMode() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.write(real.resolve("f"), "x".getBytes());
        Proc.sh(tmp, "chmod 0750 real && ln -s real link");
        String id = Cli.backup(repo, tmp.resolve("link"));
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        assertEquals("750", Proc.sh(tmp, "stat -c %a dst").trim(),
                "the restored root took the symlink's 0777 instead of the directory's 0750");
        assertEquals("x", Files.readString(dst.resolve("f")));
    }

    @Test
    void differentSpellingsOfTheSamePathShareTheParent() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.writeRandom(src.resolve("f"), 1, 100_000);
        Cli.backup(repo, src);
        for (String spelling : List.of(src + "/", src + "/.", tmp + "/src/../src")) {
            Cli.Result r = Cli.expect(0, repo, "backup", spelling);
            assertTrue(r.out().contains("new data: 0 B"), spelling + ": " + r);
        }
        List<Map<String, Object>> snaps = Json.array(Cli.expect(0, repo, "snapshots", "--json").out());
        assertEquals(4, snaps.size());
        for (Map<String, Object> s : snaps) {
            assertEquals(src.toRealPath().toString(), s.get("source"), "the source is recorded in one normal form");
        }
    }

    @Test
    void aRepositoryInsideTheSourceIsNotBackedUpIntoItself() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("data.txt"), "data".getBytes());
        Path inner = src.resolve("backups");
        Cli.expect(0, inner, "init");
        String first = Cli.backup(inner, src);
        String second = Cli.backup(inner, src);
        for (String id : List.of(first, second)) {
            String found = Cli.expect(0, inner, "find", "*", "--snapshot", id).out();
            assertEquals(id + "  /data.txt\n", found, "the repository's own files were backed up: " + found);
        }
        Cli.expect(0, inner, "check", "--read-data");
    }

    @Test
    void oneFileSystemStopsAtAMountPoint() throws Exception {
        Require.that(Require.isRoot(), "mounting a tmpfs needs root");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("here.txt"), "on this fs".getBytes());
        Path mnt = Files.createDirectories(src.resolve("mnt"));
        Proc.Output m = Proc.run(tmp, List.of("mount", "-t", "tmpfs", "-o", "size=1m", "cairn-test", mnt.toString()));
        Require.that(m.code() == 0, "cannot mount a tmpfs here: " + m.err());
        try {
            Files.write(mnt.resolve("there.txt"), "on another fs".getBytes());
            String all = Cli.backup(repo, src);
            String one = Cli.backup(repo, src, "--one-file-system");
            String inAll = Cli.expect(0, repo, "find", "*", "--snapshot", all).out();
            String inOne = Cli.expect(0, repo, "find", "*", "--snapshot", one).out();
            assertTrue(inAll.contains("/mnt/there.txt"), inAll);
            assertTrue(inOne.contains("/here.txt") && inOne.contains("/mnt\n"), "the mount point itself is kept: " + inOne);
            assertFalse(inOne.contains("there.txt"), "--one-file-system crossed into the tmpfs: " + inOne);
        } finally {
            Proc.run(tmp, List.of("umount", mnt.toString()));
        }
    }
}
