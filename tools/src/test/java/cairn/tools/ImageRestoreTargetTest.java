package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an image restore does with what is at TARGET: a link is followed, a block device is written, a
 * regular file replaced whole, a missing name created (but not in /dev), and a character device, FIFO
 * or socket refused with one line.
 */
class ImageRestoreTargetTest {
    @TempDir
    Path tmp;
    Path repo;
    Path img;
    String id;

    @BeforeEach
    void imageSnapshot() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        img = Trees.writeRandom(tmp.resolve("small.img"), 5, 3L * MIB);
        id = Cli.backupImage(repo, img);
    }

    private void refused(Path target, String line) {
        Cli.Result r = Cli.run(repo, "restore", id, target.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: " + line), r.errLines());
    }

    @Test
    void aFifoASocketAndALinkToThemAreRefused() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Proc.sh(tmp, "mkfifo fifo");
        refused(fifo, "target " + fifo + " is a FIFO, not an image file or block device");
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-fifo"), fifo);
        refused(link, "target " + link + " (a link to " + fifo + ") is a FIFO, not an image file or block device");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("fifo", Proc.sh(tmp, "stat -c %F fifo").trim(), "still a FIFO");

        Path sock = tmp.resolve("sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
            refused(sock, "target " + sock + " is a socket, not an image file or block device");
        }
    }

    @Test
    void aCharacterDeviceIsRefusedAndLeftAlone() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("mknod"), "mknod of a character device needs root");
        Path node = tmp.resolve("null");
        Proc.sh(tmp, "mknod null c 1 3");
        refused(node, "target " + node + " is a character device, not an image file or block device");
        assertEquals("character special file", Proc.sh(tmp, "stat -c %F null").trim());
    }

    @Test
    void aLinkToNothingIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("dangling"), Path.of("nowhere"));
        refused(link, "target " + link + " is a symbolic link to nowhere, which does not exist");
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    @Test
    void aMistypedDeviceNameInDevIsRefusedNotCreated() {
        Path typo = Path.of("/dev/cairn-test-no-such-device-" + ProcessHandle.current().pid());
        try {
            refused(typo, "no such device: " + typo);
            assertFalse(Files.exists(typo, LinkOption.NOFOLLOW_LINKS), "a file was created in /dev");
        } finally {
            try {
                Files.deleteIfExists(typo);
            } catch (java.io.IOException ignored) {
                // nothing was created, or it is not ours to remove
            }
        }
    }

    @Test
    void aLinkToAFileReplacesTheFileAndKeepsTheLink() throws Exception {
        Path file = tmp.resolve("copy.img");
        Files.writeString(file, "old contents");
        Path link = Files.createSymbolicLink(tmp.resolve("link.img"), file.getFileName());
        Cli.expect(0, repo, "restore", id, link.toString());
        assertTrue(Files.isSymbolicLink(link), "the link itself was replaced");
        assertEquals(Trees.sha256(img), Trees.sha256(file));
    }

    @Test
    void aFailedRestoreLeavesTheOldFileWhole() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path file = out.resolve("copy.img");
        Files.writeString(file, "old contents");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("catalog.db"));
             PreparedStatement ps = c.prepareStatement("UPDATE snapshots SET image_sha256 = ? WHERE name = ?")) {
            ps.setBytes(1, new byte[32]);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        Cli.Result r = Cli.run(repo, "restore", id, file.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("old contents", Files.readString(file));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(file), s.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void aTreeSnapshotsFileIsRestoredAsBefore() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        String tree = Cli.backup(repo, src);
        Path fresh = tmp.resolve("fresh.txt");
        Cli.expect(0, repo, "restore", tree + ":a.txt", fresh.toString());
        assertEquals("alpha\n", Files.readString(fresh));
        Path existing = tmp.resolve("existing.txt");
        Files.writeString(existing, "old\n");
        Cli.expect(0, repo, "restore", tree + ":a.txt", existing.toString());
        assertEquals("alpha\n", Files.readString(existing));
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Cli.expect(0, repo, "restore", tree + ":a.txt", dir.toString());
        assertEquals("alpha\n", Files.readString(dir.resolve("a.txt")));
    }

    @Test
    void aLinkToABlockDeviceWritesTheDevice() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("losetup") && Files.exists(Path.of("/dev/loop-control")),
                "needs root and loop devices (losetup)");
        Path backing = tmp.resolve("device.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(4L * MIB);
        }
        String device = Proc.sh(tmp, "losetup -f --show " + backing).trim();
        try {
            assertTrue(device.startsWith("/dev/loop"), device);
            Path link = Files.createSymbolicLink(tmp.resolve("by-id-disk"), Path.of(device));
            Cli.expect(0, repo, "restore", id, link.toString());
            assertTrue(Files.isSymbolicLink(link));
            Proc.sh(tmp, "sync");
            byte[] written = new byte[3 * MIB];
            try (RandomAccessFile f = new RandomAccessFile(device, "r")) {
                f.readFully(written);
            }
            assertArrayEquals(Files.readAllBytes(img), written);
        } finally {
            Proc.run(tmp, List.of("losetup", "-d", device));
        }
    }
}
