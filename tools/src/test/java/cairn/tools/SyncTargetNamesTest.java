package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * and writes one as long as the file system allows under a temporary name that fits.
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
}
