package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest block size, 64 MiB, in a separate cairn JVM with the launcher's default heap (256 MiB):
 * restore and verify hold few enough blocks at once to fit. The backup runs in the test's JVM, whose
 * heap is large enough for it.
 */
class ImageLargeBlocksTest {
    @TempDir
    Path tmp;

    @Test
    void restoreAndVerifyOf64MiBBlocksFitTheDefaultHeap() throws Exception {
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        // Incompressible data, so each block is stored whole, and a hole at the end.
        Path img = Trees.writeRandom(tmp.resolve("big.img"), 64, 150L * MIB);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(200L * MIB);
        }
        String id = Cli.backupImage(repo, img, "--block-size", "64M");

        Path out = tmp.resolve("big.out");
        Proc.Output restore = cairn256m(repo, "restore", id, out.toString());
        assertEquals(0, restore.code(), restore.err());
        assertEquals(Trees.sha256(img), Trees.sha256(out));

        Proc.Output verify = cairn256m(repo, "verify", id, img.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("matches"), verify.out());
    }

    private Proc.Output cairn256m(Path repo, String... args) {
        List<String> cmd = Proc.cairnCommand(List.of(), null, "--repo", repo.toString());
        cmd.addAll(List.of(args));
        return Proc.run(tmp, cmd);
    }
}
