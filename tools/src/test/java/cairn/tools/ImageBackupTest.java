package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image snapshots through the CLI: real ext4 images, holes, gzip imports, bad input. */
class ImageBackupTest {
    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    @Test
    void anExt4ImageIsListedCheckedAndDdOutOfTheMountBitForBit() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 64);
        String id = Cli.backupImage(repo, img);
        Map<String, Object> snap = Cli.snapshot(repo, id);
        assertEquals("image", snap.get("kind"));
        assertEquals("complete", snap.get("status"));
        assertEquals(1048576L, snap.get("block_size"));
        assertEquals(Trees.sha256(img), snap.get("image_sha256"));
        assertEquals(64L * MIB, snap.get("bytes"));
        assertEquals("disk.img", snap.get("image"));
        // ~3.5 MB of files and the file system's metadata; the rest of the 64 MiB are holes.
        assertTrue((Long) snap.get("new_bytes") < 16L * MIB, "holes were stored: " + snap);

        List<String> ls = Cli.expect(0, repo, "ls", id).outLines();
        assertEquals(1, ls.size(), ls.toString());
        assertTrue(ls.get(0).matches("-r--r--r-- .* 67108864 .* disk\\.img"), ls.get(0));
        Cli.expect(0, repo, "check", "--read-data");
        Cli.expect(0, repo, "stats");

        Path out = tmp.resolve("out.img");
        try (Images.Mount m = new Images.Mount(repo, tmp.resolve("mnt"), tmp.resolve("mount-log"))) {
            Path inMount = tmp.resolve("mnt").resolve(id).resolve("disk.img");
            assertEquals(64L * MIB, Files.size(inMount));
            Proc.sh(tmp, "dd if=" + inMount + " of=" + out + " bs=4M status=none");
        }
        assertEquals(Trees.sha256(img), Trees.sha256(out));
        Proc.Output fsck = Proc.run(tmp, List.of("e2fsck", "-fn", out.toString()));
        assertEquals(0, fsck.code(), "e2fsck of the copy: " + fsck.out() + fsck.err());
        String listing = Proc.sh(tmp, "debugfs -R 'ls -l /' " + out + " 2>/dev/null");
        assertTrue(listing.contains("big.bin") && listing.contains("docs") && listing.contains("lost+found"), listing);
        String docs = Proc.sh(tmp, "debugfs -R 'cat /docs/readme.txt' " + out + " 2>/dev/null");
        assertEquals("an ext4 image in a cairn test\n".repeat(50), docs);
    }

    @Test
    void aTwoPercentChangeStoresAboutTwoPercent() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 128);
        String first = Cli.backupImage(repo, img);
        // 2.5 MiB (2% of 128 MiB) rewritten from a block boundary on: three 1 MiB blocks differ.
        Images.scribble(img, 40L * MIB, 5 * MIB / 2, 99);
        String second = Cli.backupImage(repo, img);
        long size = 128L * MIB;
        long fresh = (Long) Cli.snapshot(repo, second).get("new_bytes");
        assertEquals(3L * MIB, fresh, "only the changed blocks are new");
        assertTrue(fresh <= size * 25 / 1000, "new data " + fresh + " is more than 2.5% of the image");
        assertEquals(Trees.sha256(img), Cli.snapshot(repo, second).get("image_sha256"));
        assertTrue(!Cli.snapshot(repo, first).get("image_sha256").equals(Cli.snapshot(repo, second).get("image_sha256")));
    }

    @Test
    void zeroBlocksAndSparseHolesAreStoredAsNothing() throws Exception {
        Path img = tmp.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(32L * MIB + 4096); // a short last block
            f.seek(3L * MIB);
            f.write(Trees.random(1, MIB)); // block 3: data
            f.seek(10L * MIB);
            f.write(new byte[3 * MIB]); // blocks 10-12: zeros written out, not a hole in the file
            f.seek(20L * MIB + 5);
            f.write(Trees.random(2, 100 << 10)); // block 20, and with 64 KiB blocks two of them
            f.seek(32L * MIB + 4095);
            f.write(1); // the short last block has data
        }
        assertTrue(Images.allocated(img) >= 4L * MIB, "the zeros must really be on disk for this test");
        String id = Cli.backupImage(repo, img);
        Map<String, Object> snap = Cli.snapshot(repo, id);
        assertEquals(2L * MIB + 4096, snap.get("new_bytes"), "only blocks 3, 20 and the last are data");
        assertEquals(32L * MIB + 4096, snap.get("bytes"));
        assertEquals(Trees.sha256(img), snap.get("image_sha256"));

        String small = Cli.backupImage(repo, img, "--block-size", "64K");
        Map<String, Object> s2 = Cli.snapshot(repo, small);
        assertEquals(65536L, s2.get("block_size"));
        // The short last block is the same 4096 bytes as before: already stored.
        assertEquals((long) MIB + 2 * 65536, s2.get("new_bytes"));
        assertEquals(Trees.sha256(img), s2.get("image_sha256"));
        Cli.expect(0, repo, "check", "--read-data");
    }

    @Test
    void gzipImagesAreRecognisedByContentAndEveryMemberIsRead() throws Exception {
        Path a = Trees.writeRandom(tmp.resolve("a"), 5, 3L * MIB);
        Files.write(a, new byte[2 * MIB], StandardOpenOption.APPEND);
        Path b = Trees.writeRandom(tmp.resolve("b"), 6, 3L * MIB / 2);
        Proc.sh(tmp, "cat a b > whole.img && gzip -c a > disk.img.gz && gzip -c b >> disk.img.gz"
                + " && gzip -c whole.img > no-suffix.img");
        String id = Cli.backupImage(repo, tmp.resolve("disk.img.gz"));
        Map<String, Object> snap = Cli.snapshot(repo, id);
        assertEquals(Trees.sha256(tmp.resolve("whole.img")), snap.get("image_sha256"), "both members, in order");
        assertEquals(Files.size(tmp.resolve("whole.img")), snap.get("bytes"));
        assertEquals("disk.img", snap.get("image"));
        assertTrue(Cli.expect(0, repo, "ls", id).out().contains(" disk.img\n"));

        // Gzip by its magic, not its name; and the same image again adds nothing.
        String again = Cli.backupImage(repo, tmp.resolve("no-suffix.img"));
        assertEquals(snap.get("image_sha256"), Cli.snapshot(repo, again).get("image_sha256"));
        assertEquals(0L, Cli.snapshot(repo, again).get("new_bytes"));
        assertEquals("no-suffix.img", Cli.snapshot(repo, again).get("image"));

        Files.write(tmp.resolve("broken.img.gz"), java.util.Arrays.copyOf(Files.readAllBytes(tmp.resolve("disk.img.gz")),
                200_000));
        Cli.Result r = Cli.run(repo, "backup", "--image", tmp.resolve("broken.img.gz").toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(2, Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).size(), "no snapshot from a cut gzip");

        // Cut inside its header: one line that says what the file is and what is wrong with it.
        Files.write(tmp.resolve("header.img.gz"), java.util.Arrays.copyOf(Files.readAllBytes(tmp.resolve("disk.img.gz")), 10));
        r = Cli.run(repo, "backup", "--image", tmp.resolve("header.img.gz").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("header.img.gz") && r.err().contains("ends early"), r.toString());

        // A raw image that happens to start with gzip's two magic bytes, but not deflate's method byte.
        byte[] raw = Trees.random(7, MIB);
        raw[0] = 0x1f;
        raw[1] = (byte) 0x8b;
        raw[2] = 0;
        Files.write(tmp.resolve("raw.img"), raw);
        String plain = Cli.backupImage(repo, tmp.resolve("raw.img"));
        assertEquals(Trees.sha256(tmp.resolve("raw.img")), Cli.snapshot(repo, plain).get("image_sha256"));
    }

    @Test
    void badBlockSizesAreRefusedWithOneLine() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("x.img"), 1, MIB);
        for (String bad : List.of("100K", "32K", "128M", "3M", "abc", "0")) {
            Cli.Result r = Cli.run(repo, "backup", "--image", img.toString(), "--block-size", bad);
            assertEquals(1, r.code(), bad + ": " + r);
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().startsWith("cairn: ") && !r.err().contains("Exception"), r.toString());
        }
        assertTrue(Cli.run(repo, "backup", "--image", img.toString(), "--block-size", "100K").err()
                .contains("power of two"));
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        Cli.backupImage(repo, img, "--block-size", "64M");
        Cli.backupImage(repo, img, "--block-size", "64K");
    }

    @Test
    void aSourceThatGrowsDuringTheBackupLeavesNoSnapshot() throws Exception {
        Path img = Trees.writeRandom(tmp.resolve("growing.img"), 3, 48L * MIB);
        AtomicBoolean stop = new AtomicBoolean();
        Thread appender = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.write(img, new byte[] {1, 2, 3, 4}, StandardOpenOption.APPEND);
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        appender.start();
        Cli.Result r;
        try {
            r = Cli.run(repo, "backup", "--image", img.toString());
        } finally {
            stop.set(true);
            appender.join();
        }
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("changed size"), r.toString());
        assertEquals(List.of(), Json.array(Cli.expect(0, repo, "snapshots", "--json").out()));
        Cli.expect(0, repo, "check");
    }

    @Test
    void aReadErrorInTheMiddleOfTheSourceLeavesNoSnapshot() throws Exception {
        // A source that fails with EIO half-way: an image served by a cairn mount whose segment is damaged
        // at block 5 (random data is stored raw, so its bytes can be found in the segment and flipped).
        Path img = Trees.writeRandom(tmp.resolve("eio.img"), 21, 8L * MIB);
        String id = Cli.backupImage(repo, img);
        byte[] needle = java.util.Arrays.copyOfRange(Files.readAllBytes(img), 5 * MIB, 5 * MIB + 64);
        Path seg;
        try (java.util.stream.Stream<Path> all = Files.walk(repo.resolve("segments"))) {
            seg = all.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(seg);
        int at = Trees.indexOf(bytes, needle);
        assertTrue(at > 0, "block 5's bytes not found in the segment");
        bytes[at + 1000] ^= 0x10;
        Files.write(seg, bytes);

        Path other = tmp.resolve("other-repo");
        Cli.expect(0, other, "init");
        try (Images.Mount m = new Images.Mount(repo, tmp.resolve("mnt"), tmp.resolve("mount-log"))) {
            Path failing = tmp.resolve("mnt").resolve(id).resolve("eio.img");
            Cli.Result r = Cli.run(other, "backup", "--image", failing.toString());
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().contains("cannot read " + failing + " at offset") && r.err().contains("rror"),
                    r.toString());
        }
        assertEquals(List.of(), Json.array(Cli.expect(0, other, "snapshots", "--json").out()));
        Cli.expect(0, other, "check");
    }


}
