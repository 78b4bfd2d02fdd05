package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn restore} of an image snapshot refuses to replace an image file that backs a mounted loop
 * device, directly or through a loop device on that loop device: the rename would leave the mounted file
 * system writing to a deleted inode. Needs root, losetup, mkfs.ext4 and mount.
 */
class ImageRestoreLoopIT {
    @TempDir
    Path tmp;
    Path repo;
    String id;
    Path backing;
    Path mnt;
    boolean mounted;
    /** Attached loop devices, the last attached first to detach. */
    final List<String> loops = new ArrayList<>();

    @BeforeEach
    void snapshotAndBackingFile() throws IOException {
        Require.that(Require.isRoot(), "loop devices need root");
        for (String c : List.of("losetup", "mkfs.ext4", "mount", "umount")) {
            Require.that(Require.hasCommand(c), c + " is not installed");
        }
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        id = Cli.backupImage(repo, Trees.writeRandom(tmp.resolve("small.img"), 3, 3L * MIB));
        backing = tmp.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(8L * MIB);
        }
        mnt = Files.createDirectories(tmp.resolve("mnt"));
    }

    @AfterEach
    void unmountAndDetach() {
        if (mounted) {
            Proc.run(tmp, List.of("umount", mnt.toString()));
        }
        for (int i = loops.size() - 1; i >= 0; i--) {
            Proc.run(tmp, List.of("losetup", "-d", loops.get(i)));
        }
    }

    private String attach(String file) {
        String loop = Proc.sh(tmp, "losetup --find --show " + file).trim();
        assertTrue(loop.startsWith("/dev/loop"), loop);
        loops.add(loop);
        return loop;
    }

    private void mount(String device) {
        Proc.sh(tmp, "mkfs.ext4 -q " + device + " && mount " + device + " " + mnt);
        mounted = true;
    }

    private void refusedAndUntouched(String attached, String mountedDevice) throws IOException {
        Object inode = Files.getAttribute(backing, "unix:ino");
        Cli.Result r = Cli.run(repo, "restore", id, backing.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: refusing to write to " + backing + ": " + backing + " is attached to " + attached
                + ", and " + mountedDevice + " is mounted on " + mnt), r.errLines());
        assertEquals(inode, Files.getAttribute(backing, "unix:ino"), "the file was replaced");
    }

    @Test
    void theFileBehindAMountedLoopDeviceIsNotReplaced() throws IOException {
        String loop = attach(backing.toString());
        mount(loop);
        refusedAndUntouched(loop, loop);
    }

    @Test
    void theFileBehindAStackOfLoopDevicesIsNotReplaced() throws IOException {
        String lower = attach(backing.toString());
        String upper = attach(lower);
        mount(upper);
        refusedAndUntouched(lower, upper);
    }
}
