package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TARGET written ending in '/' names a directory. {@code sync} and {@code restore} (of an image, or of
 * one file of a tree) refuse one that is not a directory with one line, and create nothing: before, both
 * wrote a file under the name, so {@code cairn sync disk.img backups/} left a file called backups.
 */
class TrailingSlashTargetTest {
    @TempDir
    Path tmp;
    Path repo;
    Path img;
    Path work;
    String imageId;

    @BeforeEach
    void snapshots() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        img = Trees.writeRandom(tmp.resolve("disk.img"), 21, 2L * MIB);
        imageId = Cli.backupImage(repo, img);
        work = Files.createDirectories(tmp.resolve("work"));
    }

    @Test
    void syncToAMissingNameEndingInSlashCreatesNothing() throws Exception {
        Path dir = work.resolve("newdir");
        for (String[] source : List.of(new String[] {img.toString()}, new String[] {imageId},
                new String[] {"--dry-run", img.toString()})) {
            refused(missing(dir), concat("sync", source, dir + "/"));
        }
        assertNothingIn(work);
    }

    @Test
    void restoreToAMissingNameEndingInSlashCreatesNothing() throws Exception {
        Path dir = work.resolve("newdir");
        refused(missing(dir), "restore", imageId, dir + "/");
        refused(missing(dir), "restore", imageId, dir + "/", "--gzip");
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("notes.txt"), "notes\n");
        String treeId = Cli.backup(repo, tree);
        refused(missing(dir), "restore", treeId + ":notes.txt", dir + "/");
        assertNothingIn(work);
    }

    @Test
    void aFileNamedWithASlashIsRefusedAndLeftAsItWas() throws Exception {
        Path file = Files.writeString(work.resolve("old.img"), "old contents");
        String line = "not a directory: " + file + "/ (a TARGET ending in '/' names a directory; drop the '/' to"
                + " write to the file)";
        refused(line, "sync", img.toString(), file + "/");
        refused(line, "restore", imageId, file + "/");
        assertEquals("old contents", Files.readString(file));
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    @Test
    void aDirectoryEndingInSlashStillReceivesTheImage() throws Exception {
        Path dir = Files.createDirectories(work.resolve("images"));
        Cli.expect(0, repo, "restore", imageId, dir + "/");
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(dir.resolve("disk.img")));
        Path link = Files.createSymbolicLink(work.resolve("images-link"), dir);
        Cli.expect(0, repo, "restore", imageId, link + "/", "--gzip");
        assertTrue(Files.isRegularFile(dir.resolve("disk.img.gz")));
        Cli.Result r = Cli.run(repo, "sync", img.toString(), dir + "/");
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: target " + dir + " is a directory, not an image file or block device"),
                r.errLines());
    }

    private static String missing(Path dir) {
        return "no such directory: " + dir + "/ (a TARGET ending in '/' names a directory, and none is created;"
                + " drop the '/' to write a file)";
    }

    private void refused(String line, String... args) {
        Cli.Result r = Cli.run(repo, args);
        assertEquals(1, r.code(), String.join(" ", args) + ": " + r);
        assertEquals(List.of("cairn: " + line), r.errLines(), String.join(" ", args) + ": " + r);
    }

    private static String[] concat(String first, String[] middle, String last) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(Arrays.asList(middle));
        all.add(last);
        return all.toArray(new String[0]);
    }

    private static void assertNothingIn(Path dir) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "a refused command left something in " + dir);
        }
    }
}
