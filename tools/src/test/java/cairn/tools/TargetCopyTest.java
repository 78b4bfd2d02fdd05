package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory that holds another target's marker: a copy of that target's directory is a second target
 * whose copies are checked before they count; the same directory under another path is refused.
 */
class TargetCopyTest {
    @TempDir
    Path tmp;
    Path repo;
    Path t1;
    Set<String> segments;

    @BeforeEach
    void aTargetWithCopies() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        t1 = Files.createDirectories(tmp.resolve("t1"));
        Cli.expect(0, repo, "target", "add", "t1", t1.toString());
        for (int i = 0; i < 3; i++) {
            Path src = tmp.resolve("src" + i);
            Trees.writeRandom(src.resolve("f.bin"), 70 + i, 400_000);
            Cli.backup(repo, src);
        }
        segments = TargetFiles.segments(repo);
        assertEquals(3, segments.size());
        assertEquals(segments, TargetFiles.segments(t1));
    }

    private static List<String> marker(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("cairn-repository"));
    }

    @Test
    void aCopyOfATargetsDirectoryIsASecondTargetWithItsCopiesCheckedOneByOne() throws Exception {
        Path t2 = tmp.resolve("t2");
        Proc.sh(tmp, "cp -a " + t1 + " " + t2);
        // One copy went bad on its way: it must not count, and push sends it again.
        String damaged = segments.iterator().next();
        Path bad = TargetFiles.segmentFile(t2, damaged);
        byte[] b = Files.readAllBytes(bad);
        b[b.length / 3] ^= 0x10;
        Files.write(bad, b);

        Cli.Result add = Cli.expect(0, repo, "target", "add", "t2", t2.toString());
        assertTrue(add.out().contains("it already holds 2 of this repository's segments"), add.toString());
        assertEquals("target t2", marker(t2).get(3), "the copy's marker now names the copy");
        assertEquals("target t1", marker(t1).get(3), "the original's marker is untouched");
        Cli.Result push = Cli.expect(0, repo, "push");
        assertTrue(push.out().startsWith("pushed 1 segment "), "only the damaged copy is sent again: " + push);
        assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, damaged)), Trees.sha256(bad));
        Cli.expect(0, repo, "check", "--read-data");

        // Both count: with every local copy evicted, either target alone restores everything.
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());
        Cli.expect(0, repo, "target", "remove", "t1");
        Path out = tmp.resolve("out");
        Cli.expect(0, repo, "restore", "latest", out.toString());
        Cli.expect(0, repo, "check", "--read-data");
    }

    @Test
    void theSameDirectoryUnderAnotherPathIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("t1-link"), t1);
        Cli.Result r = Cli.run(repo, "target", "add", "again", link.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: " + link + " is the directory of target t1 (" + t1 + ") under another path:"
                + " one directory cannot be two targets"), r.errLines());
        assertEquals("target t1", marker(t1).get(3));
        assertEquals(1, Json.array(Cli.expect(0, repo, "target", "list", "--json").out()).size());
    }

    @Test
    void theSameDirectoryThroughABindMountIsRefused() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("mount"), "a bind mount needs root");
        Path bound = Files.createDirectories(tmp.resolve("bound"));
        Proc.sh(tmp, "mount --bind " + t1 + " " + bound);
        try {
            Cli.Result r = Cli.run(repo, "target", "add", "again", bound.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("is the directory of target t1"), r.toString());
        } finally {
            Proc.run(tmp, List.of("umount", bound.toString()));
        }
        assertEquals("target t1", marker(t1).get(3));
    }

    @Test
    void aHardLinkedCopyIsNotASecondCopy() throws Exception {
        Path linked = tmp.resolve("linked");
        Proc.sh(tmp, "cp -al " + t1 + " " + linked);
        Cli.Result r = Cli.run(repo, "target", "add", "linked", linked.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("is a hard-linked copy of the directory of target t1"), r.toString());
        assertEquals("target t1", marker(t1).get(3), "the shared marker was not rewritten");
    }

    @Test
    void withTheOriginalGoneOrUnmarkedACopyCannotBeToldFromTheDirectoryMoved() throws Exception {
        // The disk of t1 is now mounted elsewhere: its old mount point is empty.
        Path moved = tmp.resolve("t1-moved");
        Files.move(t1, moved);
        Files.createDirectories(t1);
        Cli.Result r = Cli.run(repo, "target", "add", "t2", moved.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("is not marked as t1 any more: is this that directory, moved or mounted elsewhere?"),
                r.toString());

        // And with no old mount point at all.
        Files.delete(t1);
        r = Cli.run(repo, "target", "add", "t2", moved.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("only t1 can tell whether this is its directory under another path or a copy of it,"
                + " and it cannot be reached: target directory " + t1 + " does not exist"), r.toString());
        assertEquals("target t1", marker(moved).get(3), "nothing was rewritten");
        assertEquals(1, Json.array(Cli.run(repo, "target", "list", "--json").out()).size());
    }
}
