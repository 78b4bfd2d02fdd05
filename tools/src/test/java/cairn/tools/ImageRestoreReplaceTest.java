package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image restore to a regular file writes a temporary file beside it and renames it into place: the
 * new file keeps the replaced one's mode and owner, the temporary name fits however long the target's
 * is, and what a killed restore to the same name left is removed.
 */
class ImageRestoreReplaceTest {
    @TempDir
    Path tmp;
    Path repo;
    Path img;
    String id;
    Path out;

    @BeforeEach
    void imageSnapshot() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        img = Trees.writeRandom(tmp.resolve("small.img"), 5, 3L * MIB);
        id = Cli.backupImage(repo, img);
        out = Files.createDirectories(tmp.resolve("out"));
    }

    private List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String stat(Path p) {
        return Proc.sh(tmp, "stat -c '%a %u %g' '" + p + "'").trim();
    }

    @Test
    void aReplacedFileKeepsItsModeAndOwner() throws IOException {
        boolean root = Require.isRoot();
        for (String gzip : new String[] {"", "--gzip"}) {
            Path file = out.resolve("private" + gzip + ".img");
            Files.writeString(file, "old contents");
            Proc.sh(tmp, "chmod 640 '" + file + "'" + (root ? " && chown 65534:65534 '" + file + "'" : ""));
            String before = stat(file);
            Cli.expect(0, repo, gzip.isEmpty() ? new String[] {"restore", id, file.toString()}
                    : new String[] {"restore", id, file.toString(), gzip});
            assertNotEquals("old contents", Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(before, stat(file), gzip);
        }
    }

    @Test
    void aTargetWithTheLongestNameIsReplacedAndCreated() throws IOException {
        for (String name : new String[] {"r".repeat(255), "\u00e9".repeat(127)}) {
            Path target = out.resolve(name);
            Cli.expect(0, repo, "restore", id, target.toString());
            Files.writeString(target, "old contents");
            Cli.expect(0, repo, "restore", id, target.toString());
            assertEquals(Trees.sha256(img), Trees.sha256(target));
        }
        assertEquals(2, namesIn(out).size(), "a temporary file was left: " + namesIn(out));
    }

    @Test
    void whatAKilledRestoreToTheSameNameLeftIsRemovedAndNothingElse() throws IOException {
        List<String> others = List.of(
                ".disk.img.x.cairn-restore-0123456789abcdef",  // another target's
                ".disk.img.cairn-sync-0123456789abcdef",       // a sync's
                ".cairn-restore-123-456");                     // a tree restore's
        for (String n : others) {
            Files.writeString(out.resolve(n), "keep");
        }
        Files.write(out.resolve(".disk.img.cairn-restore-0123456789abcdef"), new byte[1 << 16]);
        Cli.expect(0, repo, "restore", id, out.resolve("disk.img").toString());
        assertEquals(Stream.concat(others.stream(), Stream.of("disk.img")).sorted().toList(), namesIn(out));

        Files.write(out.resolve(".disk.img.cairn-restore-fedcba9876543210"), new byte[1 << 16]);
        Cli.expect(0, repo, "restore", id, out.resolve("disk.img").toString(), "--gzip");
        assertFalse(namesIn(out).contains(".disk.img.cairn-restore-fedcba9876543210"));
        assertEquals(Stream.concat(others.stream(), Stream.of("disk.img")).sorted().toList(), namesIn(out));
    }
}
