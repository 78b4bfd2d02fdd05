package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block device that only the pre-hook brings into being, as with an LVM snapshot: cairn must look at
 * the source after the pre-hook ran, and back it up as an image. The device is a loop device over a
 * file; the pre-hook makes a device node for it, or a symlink to it. Needs root and losetup.
 */
class BackupDeviceHooksIT {
    private static final long DEVICE_BYTES = 3L << 20;

    @TempDir
    Path tmp;
    Path repo;
    Path backing;
    String device;

    @BeforeEach
    void loopDevice() throws Exception {
        Require.that(Require.isRoot(), "loop devices and device nodes need root");
        Require.that(Require.hasCommand("losetup"), "losetup is not installed");
        backing = Trees.writeRandom(tmp.resolve("device.img"), 4, DEVICE_BYTES);
        device = Proc.sh(tmp, "losetup --find --show " + backing).trim();
        assertTrue(device.startsWith("/dev/loop"), device);
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    @AfterEach
    void detach() {
        if (device != null) {
            Proc.run(tmp, List.of("losetup", "-d", device));
        }
    }

    @Test
    void aDeviceNodeMadeByThePreHookIsBackedUpAsAnImage() throws Exception {
        Path node = tmp.resolve("devnode");
        String numbers = Proc.sh(tmp, "stat -c '%Hr %Lr' " + device).trim();
        assertImageOf(node, "mknod " + node + " b " + numbers, "rm -f " + node);
    }

    @Test
    void aSymlinkToADeviceMadeByThePreHookIsBackedUpAsAnImage() throws Exception {
        Path link = tmp.resolve("root-snap");
        assertImageOf(link, "ln -s " + device + " " + link, "rm -f " + link);
    }

    private void assertImageOf(Path source, String preHook, String postHook) throws Exception {
        assertFalse(Files.exists(source));
        Cli.Result r = Cli.expect(0, repo, "backup", "--block-size", "64K", "--pre-hook", preHook,
                "--post-hook", postHook, source.toString());
        Map<String, Object> s = Cli.snapshot(repo, r.lastOutLine());
        assertEquals("image", s.get("kind"), r.toString());
        assertEquals(DEVICE_BYTES, s.get("bytes"));
        assertEquals((long) (64 << 10), s.get("block_size"));
        assertEquals(Trees.sha256(backing), s.get("image_sha256"), "the image is not the device's bytes");
        assertFalse(Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the post-hook did not run");
    }
}
