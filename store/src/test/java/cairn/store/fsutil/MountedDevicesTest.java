package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matching rules of the mount check on a copy of the kernel's tables (sysfs layout, mountinfo,
 * swaps): partitions and stacked devices cannot be made on every test machine (a kernel without
 * partition tables or device-mapper), so their cases are laid out as the kernel shows them. The whole
 * chain on a real mounted loop device is in the tools module's SyncDeviceIT and ImageRestoreTest.
 */
class MountedDevicesTest {
    @TempDir
    Path tmp;
    Path sys;
    Path mountinfo;
    Path swaps;

    @BeforeEach
    void diskWithOnePartitionAndALogicalVolumeOnIt() throws IOException {
        sys = tmp.resolve("sys");
        Path disk = Files.createDirectories(sys.resolve("devices/virtual/block/loop3"));
        Files.writeString(disk.resolve("dev"), "7:3\n");
        Path part = Files.createDirectories(disk.resolve("loop3p1"));
        Files.writeString(part.resolve("dev"), "259:4\n");
        Files.writeString(part.resolve("partition"), "1\n");
        Path lv = Files.createDirectories(sys.resolve("devices/virtual/block/dm-0"));
        Files.writeString(lv.resolve("dev"), "253:0\n");
        Files.createDirectories(lv.resolve("dm"));
        Files.writeString(lv.resolve("dm/name"), "vg-data\n");
        Files.createDirectories(part.resolve("holders"));
        Files.createSymbolicLink(part.resolve("holders/dm-0"), lv);
        Path devBlock = Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(devBlock.resolve("7:3"), disk);
        Files.createSymbolicLink(devBlock.resolve("259:4"), part);
        Files.createSymbolicLink(devBlock.resolve("253:0"), lv);
        mountinfo = tmp.resolve("mountinfo");
        swaps = tmp.resolve("swaps");
        Files.writeString(swaps, "Filename\tType\tSize\tUsed\tPriority\n");
    }

    private Optional<String> useOfDisk(String... mounts) throws IOException {
        Files.writeString(mountinfo, "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" + String.join("\n", mounts) + "\n");
        return new MountedDevices(mountinfo, swaps, sys).use("7:3", "/dev/loop3").map(MountedDevices.Use::describe);
    }

    @Test
    void anUnusedDeviceIsFree() throws IOException {
        assertEquals(Optional.empty(), useOfDisk("30 22 0:40 / /mnt/other rw - tmpfs tmpfs rw"));
    }

    @Test
    void theDeviceItselfMounted() throws IOException {
        assertEquals(Optional.of("/dev/loop3 is mounted on /mnt/a b"),
                useOfDisk("30 22 7:3 / /mnt/a\\040b rw,relatime - ext4 /dev/loop3 rw"));
    }

    @Test
    void aPartitionMountedFoundByNumber() throws IOException {
        Optional<String> use = useOfDisk("31 22 259:4 / /mnt/p rw - ext4 /dev/sneaky-name rw");
        assertTrue(use.isPresent() && use.get().endsWith("is mounted on /mnt/p"), use.toString());
    }

    @Test
    void aPartitionMountedFoundByNameWhenTheNumberIsAnonymous() throws IOException {
        // btrfs shows an anonymous 0:NN device number; only the source names the device.
        assertEquals(Optional.of("/dev/loop3p1 is mounted on /srv"),
                useOfDisk("32 22 0:51 / /srv rw - btrfs /dev/loop3p1 rw"));
    }

    @Test
    void aLogicalVolumeOnAPartitionMounted() throws IOException {
        assertEquals(Optional.of("/dev/mapper/vg-data is mounted on /data"),
                useOfDisk("33 22 0:52 / /data rw - btrfs /dev/mapper/vg-data rw"));
    }

    @Test
    void aLoopDeviceBackedByTheDeviceMounted() throws IOException {
        // losetup /dev/loop5 /dev/loop3: sysfs shows it only as loop5's backing file.
        Path loop = Files.createDirectories(sys.resolve("devices/virtual/block/loop5"));
        Files.writeString(loop.resolve("dev"), "7:5\n");
        Files.createDirectories(loop.resolve("loop"));
        Files.writeString(loop.resolve("loop/backing_file"), "/dev/loop3\n");
        Files.createSymbolicLink(sys.resolve("dev/block/7:5"), loop);
        Files.createDirectories(sys.resolve("block"));
        Files.createSymbolicLink(sys.resolve("block/loop5"), loop);
        assertEquals(Optional.empty(), useOfDisk(), "attached but not mounted");
        assertEquals(Optional.of("/dev/loop5 is mounted on /mnt/stacked"),
                useOfDisk("34 22 7:5 / /mnt/stacked rw - ext4 /dev/loop5 rw"));
    }

    @Test
    void aPartitionUsedAsSwap() throws IOException {
        Files.writeString(swaps, "Filename\tType\tSize\tUsed\tPriority\n/dev/loop3p1  partition\t1024\t0\t-2\n");
        assertEquals(Optional.of("/dev/loop3p1 is in use as swap"), useOfDisk());
    }

    @Test
    void deviceNumbersSplitAsGlibcDoes() {
        long rdev = (259L << 8) & 0xfff00 | ((259L & ~0xfffL) << 32) | (70000L & 0xff) | ((70000L & ~0xffL) << 12);
        assertEquals(259, MountedDevices.major(rdev));
        assertEquals(70000, MountedDevices.minor(rdev));
        assertEquals(7, MountedDevices.major(1792));
        assertEquals(0, MountedDevices.minor(1792));
    }
}
