package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sync} onto a real block device (a loop device): it writes the differing blocks of a
 * device larger than the source, refuses one smaller than the source, and refuses a device that is
 * mounted, as well as the image file behind a mounted loop device. Needs root, losetup, mkfs.ext4 and
 * mount.
 */
class SyncDeviceIT {
    static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    Path backing;
    String device;
    Path mnt;
    boolean mounted;

    @BeforeEach
    void loopDevice() throws IOException {
        Require.that(Require.isRoot(), "loop devices need root");
        for (String c : List.of("losetup", "mkfs.ext4", "mount", "umount")) {
            Require.that(Require.hasCommand(c), c + " is not installed");
        }
        backing = tmp.resolve("device.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(8 * MIB);
        }
        device = Proc.sh(tmp, "losetup --find --show " + backing).trim();
        assertTrue(device.startsWith("/dev/loop"), device);
        mnt = Files.createDirectories(tmp.resolve("mnt"));
    }

    @AfterEach
    void detach() {
        if (mounted) {
            Proc.run(tmp, List.of("umount", mnt.toString()));
        }
        if (device != null) {
            Proc.run(tmp, List.of("losetup", "-d", device));
        }
    }

    private Path sourceOf(int bytes, long seed) throws IOException {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Path p = tmp.resolve("source-" + seed + ".img");
        Files.write(p, b);
        return p;
    }

    private byte[] deviceBytes(int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device, "r")) {
            byte[] b = new byte[n];
            f.readFully(b);
            return b;
        }
    }

    @Test
    void writesOntoADeviceLargerThanTheSource() throws IOException {
        Path source = sourceOf(5 * MIB, 1);
        Map<String, Object> first = Json.object(Cli.expect(0, tmp, "sync", "--json", source.toString(), device).out());
        assertEquals(5L, first.get("blocks_written"));
        assertArrayEquals(Files.readAllBytes(source), deviceBytes(5 * MIB));

        byte[] changed = Files.readAllBytes(source);
        changed[3 * MIB + 17] ^= 1;
        Files.write(source, changed);
        Map<String, Object> second = Json.object(Cli.expect(0, tmp, "sync", "--json", source.toString(), device).out());
        assertEquals(1L, second.get("blocks_written"));
        assertEquals(8L * MIB, second.get("target_new_size"), "a device keeps its size");
        assertArrayEquals(changed, deviceBytes(5 * MIB));
    }

    @Test
    void refusesADeviceSmallerThanTheSource() throws IOException {
        Path source = sourceOf(9 * MIB, 2);
        Cli.Result r = Cli.run(tmp, "sync", source.toString(), device);
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: target " + device + " (" + 8 * MIB + " bytes) is smaller than the source ("
                + 9 * MIB + " bytes)"), r.errLines());
    }

    @Test
    void refusesAMountedDeviceAndTheFileBehindIt() throws IOException {
        Proc.sh(tmp, "mkfs.ext4 -q " + device + " && mount " + device + " " + mnt);
        mounted = true;
        Files.writeString(mnt.resolve("precious.txt"), "keep me\n");
        Proc.sh(tmp, "sync");
        byte[] before = deviceBytes(8 * MIB);
        Path source = sourceOf(4 * MIB, 3);

        Cli.Result r = Cli.run(tmp, "sync", source.toString(), device);
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: refusing to write to " + device + ": " + device + " is mounted on " + mnt),
                r.errLines());

        Cli.Result viaFile = Cli.run(tmp, "sync", source.toString(), backing.toString());
        assertEquals(1, viaFile.code(), viaFile.toString());
        assertEquals(1, viaFile.errLines().size(), viaFile.toString());
        assertTrue(viaFile.err().contains("is attached to " + device + ", and " + device + " is mounted on " + mnt),
                viaFile.err());

        assertTrue(Arrays.equals(before, deviceBytes(8 * MIB)), "the mounted device was written to");
        assertEquals("keep me\n", Files.readString(mnt.resolve("precious.txt")));
    }
}
