package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify of an image whose size is not a whole number of blocks, against files and a larger device. */
class ImageVerifyTest {
    /** 5 MiB and a bit: block 5 is a partial block of 12345 bytes. */
    static final long SIZE = 5L * MIB + 12345;

    @TempDir
    Path tmp;
    Path repo;
    Path img;
    String id;

    @BeforeEach
    void imageSnapshot() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        img = Trees.writeRandom(tmp.resolve("odd.img"), 3, SIZE);
        id = Cli.backupImage(repo, img);
    }

    @Test
    void aDifferingLastPartialBlockEndsAtTheImagesLastByte() throws Exception {
        Images.scribble(img, SIZE - 1, 1, 4);
        Cli.Result r = Cli.run(repo, "verify", id, img.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("block 5 (bytes 5242880..5255224) differ"), r.out());
    }

    @Test
    void aLongerFileStillDiffers() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(6L * MIB);
        }
        Cli.Result r = Cli.run(repo, "verify", id, img.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("size 5255225 in the snapshot, 6291456 in the source"), r.out());
        assertTrue(r.out().contains("block 5 (bytes 5242880..6291455) differ"), r.out());
    }

    @Test
    void aDeviceLargerThanTheImageIsComparedOverTheImagesBytes() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("losetup") && Files.exists(Path.of("/dev/loop-control")),
                "needs root and loop devices (losetup)");
        Path backing = Trees.writeRandom(tmp.resolve("device.img"), 8, 16L * MIB);
        String device = Proc.sh(tmp, "losetup -f --show " + backing).trim();
        try {
            assertTrue(device.startsWith("/dev/loop"), device);
            Cli.expect(0, repo, "restore", id, device);
            Cli.Result same = Cli.expect(0, repo, "verify", id, device);
            assertTrue(same.out().contains("the device's 11.5 MB past the image were not compared"), same.out());

            try (RandomAccessFile f = new RandomAccessFile(device, "rw")) {
                f.seek(SIZE - 1);
                int last = f.read();
                f.seek(SIZE - 1);
                f.write(~last & 0xff);
            }
            Cli.Result changed = Cli.run(repo, "verify", id, device);
            assertEquals(1, changed.code(), changed.toString());
            assertTrue(changed.out().contains("block 5 (bytes 5242880..5255224) differ"), changed.out());
        } finally {
            Proc.run(tmp, List.of("losetup", "-d", device));
        }
    }
}
