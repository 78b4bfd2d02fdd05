package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image snapshots back out: sparse files, gzip, block devices, the SHA-256 check, and verify. */
class ImageRestoreTest {
    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    @Test
    void aRestoredImageIsSparseAndBitIdentical() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 64);
        String id = Cli.backupImage(repo, img);
        Path out = tmp.resolve("restored.img");
        Cli.expect(0, repo, "restore", id, out.toString());
        assertEquals(Trees.sha256(img), Trees.sha256(out));
        assertEquals(64L * MIB, Files.size(out));
        assertTrue(Images.allocated(out) < 16L * MIB, "holes must stay holes: " + Images.allocated(out) + " allocated");
        Proc.Output fsck = Proc.run(tmp, List.of("e2fsck", "-fn", out.toString()));
        assertEquals(0, fsck.code(), fsck.out() + fsck.err());

        // Into an existing directory: the image keeps its name. Nothing temporary is left beside it.
        Path dir = Files.createDirectories(tmp.resolve("into"));
        Cli.expect(0, repo, "restore", id, dir.toString());
        assertEquals(Trees.sha256(img), Trees.sha256(dir.resolve("disk.img")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("disk.img")), s.toList());
        }
        Cli.expect(0, repo, "verify", id, out.toString());

        // SNAP:NAME with the name ls and the mount show is the image too; any other path is not there.
        Path named = tmp.resolve("named.img");
        Cli.expect(0, repo, "restore", id + ":disk.img", named.toString());
        assertEquals(Trees.sha256(img), Trees.sha256(named));
        Cli.Result other = Cli.run(repo, "restore", id + ":etc/passwd", tmp.resolve("x").toString());
        assertEquals(1, other.code(), other.toString());
        assertTrue(other.err().contains("holds one file, disk.img"), other.toString());
    }

    @Test
    void aFullFileSystemIsNamedAndLeavesNoFile() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("rand.img"), 31, 8L * MIB);
        String id = Cli.backupImage(repo, img);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "2m")) {
            Path small = disk.path();
            Cli.Result r = Cli.run(repo, "restore", id, small.resolve("out.img").toString());
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().contains("cannot write " + small.resolve("out.img")) && r.err().contains("No space"),
                    r.toString());
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(List.of(), left.toList(), "a failed restore left a file");
            }
        }
    }

    /**
     * The same with --gzip: random data does not compress, so the gzip file fills the disk too. The error
     * names the file and how much of it was written; the old file of that name is left as it was, and
     * nothing cut short is left beside it.
     */
    @Test
    void aFullFileSystemDuringAGzipRestoreIsNamedAndLeavesTheOldFile() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("rand.img"), 32, 8L * MIB);
        String id = Cli.backupImage(repo, img);
        try (SmallDisk disk = SmallDisk.mount(tmp, "small", "2m")) {
            Path small = disk.path();
            Path gz = small.resolve("out.img.gz");
            Files.writeString(gz, "the old export");
            Cli.Result r = Cli.run(repo, "restore", id, gz.toString(), "--gzip");
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("cairn: cannot write "
                    + java.util.regex.Pattern.quote(gz.toString()) + " after (\\d+) bytes: No space left on device")
                    .matcher(r.errLines().get(0));
            assertTrue(m.matches(), r.toString());
            long written = Long.parseLong(m.group(1));
            assertTrue(written > 1L * MIB && written <= 2L * MIB, "not where the disk filled: " + r);
            assertEquals("the old export", Files.readString(gz));
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(List.of(gz), left.toList(), "a failed restore left a file");
            }
        }
    }

    @Test
    void gzipExportAndImportRoundTrip() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 32);
        String id = Cli.backupImage(repo, img);
        Path gz = tmp.resolve("copy.img.gz");
        Cli.expect(0, repo, "restore", id, gz.toString(), "--gzip");
        assertEquals(Trees.sha256(img), Proc.sh(tmp, "gunzip -c copy.img.gz | sha256sum").split(" ")[0]);
        assertTrue(Files.size(gz) < 8L * MIB, "zeros compress: " + Files.size(gz));
        // And back in: the same image, nothing new stored.
        String again = Cli.backupImage(repo, gz);
        Map<String, Object> s = Cli.snapshot(repo, again);
        assertEquals(Trees.sha256(img), s.get("image_sha256"));
        assertEquals(0L, s.get("new_bytes"));
        assertEquals("copy.img", s.get("image"));
        Cli.expect(0, repo, "verify", id, gz.toString());
        // Into a directory, --gzip names the file after the image.
        Path dir = Files.createDirectories(tmp.resolve("gzdir"));
        Cli.expect(0, repo, "restore", id, dir.toString(), "--gzip");
        assertTrue(Files.isRegularFile(dir.resolve("disk.img.gz")));
    }

    @Test
    void verifyReportsTheDifferingBlockRanges() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("v.img"), 4, 16L * MIB);
        String id = Cli.backupImage(repo, img);
        Cli.expect(0, repo, "verify", id, img.toString());
        Images.scribble(img, 2L * MIB + 10, 100, 1);      // block 2
        Images.scribble(img, 5L * MIB - 10, 2 * MIB, 2);  // blocks 4..6
        Cli.Result r = Cli.run(repo, "verify", id, img.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("block 2 (bytes 2097152..3145727) differ"), r.out());
        assertTrue(r.out().contains("blocks 4..6 (bytes 4194304..7340031) differ"), r.out());
        assertTrue(r.out().contains("sha256 "), r.out());
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(15L * MIB);
        }
        Cli.Result shorter = Cli.run(repo, "verify", id, img.toString());
        assertEquals(1, shorter.code());
        assertTrue(shorter.out().contains("size 16777216 in the snapshot, 15728640 in the source"), shorter.out());
        assertTrue(shorter.out().contains("block 15 "), shorter.out());
    }

    @Test
    void aRestoreWhoseBytesDoNotMatchTheRecordedSha256FailsAndLeavesNoFile() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("t.img"), 8, 4L * MIB);
        String id = Cli.backupImage(repo, img);
        // A catalog whose recorded hash disagrees with the data: the restore must notice, not trust.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("catalog.db"));
             PreparedStatement ps = c.prepareStatement("UPDATE snapshots SET image_sha256 = ? WHERE name = ?")) {
            ps.setBytes(1, new byte[32]);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli.Result r = Cli.run(repo, "restore", id, out.resolve("t.img").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("SHA-256") && r.err().contains("differs"), r.toString());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "nothing that looks like a restored image");
        }
        Cli.Result gz = Cli.run(repo, "restore", id, out.resolve("t.img.gz").toString(), "--gzip");
        assertEquals(1, gz.code(), gz.toString());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void blockDevicesAreImagesAndRestoreWritesEveryBlockOrOnlyDataWithSkipZero() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("losetup") && Files.exists(Path.of("/dev/loop-control")),
                "needs root and loop devices (losetup)");
        Path img = Images.ext4(tmp, "disk.img", 32);
        List<String> loops = new ArrayList<>();
        try {
            String src = attach(img, loops);
            String id = Cli.expect(0, repo, "backup", src).lastOutLine();
            Map<String, Object> s = Cli.snapshot(repo, id);
            assertEquals("image", s.get("kind"));
            assertEquals(Trees.sha256(img), s.get("image_sha256"));
            assertEquals(Path.of(src).getFileName() + ".img", s.get("image"));
            Cli.expect(0, repo, "verify", id, src);

            // A device full of garbage: every block must be written, zeros included.
            Path dirty = Trees.writeRandom(tmp.resolve("dirty.img"), 77, 32L * MIB);
            String dirtyDev = attach(dirty, loops);
            Cli.expect(0, repo, "restore", id, dirtyDev);
            Proc.sh(tmp, "sync");
            assertEquals(Trees.sha256(img), Proc.sh(tmp, "sha256sum " + dirtyDev).split(" ")[0]);

            // A zeroed (sparse) device with --skip-zero: the holes are not written, so it stays sparse.
            Path zero = tmp.resolve("zero.img");
            try (RandomAccessFile f = new RandomAccessFile(zero.toFile(), "rw")) {
                f.setLength(32L * MIB);
            }
            String zeroDev = attach(zero, loops);
            Cli.expect(0, repo, "restore", id, zeroDev, "--skip-zero");
            Proc.sh(tmp, "sync");
            assertEquals(Trees.sha256(img), Proc.sh(tmp, "sha256sum " + zeroDev).split(" ")[0]);
            assertTrue(Images.allocated(zero) < 16L * MIB, "--skip-zero wrote zeros: " + Images.allocated(zero));

            // A mounted device is refused: the image would be written under a live file system.
            Path mnt = Files.createDirectories(tmp.resolve("busy"));
            Proc.sh(tmp, "mount -o ro " + src + " " + mnt);
            try {
                Cli.Result busy = Cli.run(repo, "restore", id, src);
                assertEquals(1, busy.code(), busy.toString());
                assertTrue(busy.err().contains("is in use (mounted at " + mnt), busy.toString());
            } finally {
                Proc.sh(tmp, "umount " + mnt);
            }

            // A device smaller than the image is refused.
            Path small = tmp.resolve("small.img");
            try (RandomAccessFile f = new RandomAccessFile(small.toFile(), "rw")) {
                f.setLength(16L * MIB);
            }
            Cli.Result r = Cli.run(repo, "restore", id, attach(small, loops));
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("less than the image"), r.toString());
        } finally {
            for (String l : loops) {
                Proc.run(tmp, List.of("losetup", "-d", l));
            }
        }
    }

    private String attach(Path file, List<String> loops) {
        String dev = Proc.sh(tmp, "losetup -f --show " + file).trim();
        loops.add(dev);
        assertFalse(dev.isEmpty());
        return dev;
    }

}
