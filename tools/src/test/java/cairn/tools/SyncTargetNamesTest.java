package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code cairn sync} does with the name of a target that does not exist yet: it refuses one in /dev,
 * writes one as long as the file system allows under a temporary name that fits, and removes what a
 * killed sync to the same name left.
 */
class SyncTargetNamesTest {
    @TempDir
    Path tmp;
    Path source;
    byte[] image;

    @BeforeEach
    void sourceImage() throws IOException {
        image = new byte[3 << 16];
        new Random(11).nextBytes(image);
        source = Files.write(tmp.resolve("source.img"), image);
    }

    private Cli.Result sync(Path target) {
        return Cli.expect(0, tmp, "sync", "--block-size", "64K", source.toString(), target.toString());
    }

    private List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingNameInDevIsRefusedNotCreated() {
        Path typo = Path.of("/dev/cairn-test-no-such-" + ProcessHandle.current().pid());
        try {
            for (String dryRun : new String[] {"--dry-run", "--block-size=64K"}) {
                Cli.Result r = Cli.run(tmp, "sync", dryRun, source.toString(), typo.toString());
                assertEquals(1, r.code(), r.toString());
                assertEquals(List.of("cairn: no such device: " + typo), r.errLines());
                assertFalse(Files.exists(typo, LinkOption.NOFOLLOW_LINKS), "a file was created in /dev");
            }
        } finally {
            try {
                Files.deleteIfExists(typo);
            } catch (IOException ignored) {
                // nothing was created, or it is not ours to remove
            }
        }
    }

    @Test
    void aNewTargetWithTheLongestNameIsCreated() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        for (String name : new String[] {"n".repeat(255), "\u00e9".repeat(127)}) {
            Path target = out.resolve(name);
            sync(target);
            assertArrayEquals(image, Files.readAllBytes(target));
        }
        assertEquals(2, namesIn(out).size(), "a temporary file was left: " + namesIn(out));
    }

    @Test
    void whatAKilledSyncToTheSameNameLeftIsRemovedAndNothingElse() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<String> others = List.of(
                ".new.img.x.cairn-sync-0123456789abcdef",    // another target's
                ".new.img.cairn-restore-0123456789abcdef",   // a restore's
                ".new.img.cairn-sync-notours");
        for (String n : others) {
            Files.writeString(out.resolve(n), "keep");
        }
        Files.write(out.resolve(".new.img.cairn-sync-0123456789abcdef"), new byte[1 << 16]);
        Files.write(out.resolve(".new.img.cairn-sync-abc"), new byte[1 << 16]);

        sync(out.resolve("new.img"));
        assertEquals(Stream.concat(others.stream(), Stream.of("new.img")).sorted().toList(), namesIn(out));

        // The same when the target exists: a killed sync left the file when it did not yet.
        Files.write(out.resolve(".new.img.cairn-sync-fedcba9876543210"), new byte[1 << 16]);
        sync(out.resolve("new.img"));
        assertFalse(namesIn(out).contains(".new.img.cairn-sync-fedcba9876543210"));
        assertTrue(namesIn(out).containsAll(others));
    }
}
