package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sync} from an image snapshot, end to end on a real ext4 image: a stale copy is brought up
 * to a later snapshot by writing exactly the blocks that changed (found here by comparing the images
 * ourselves), the result is bit-identical and passes e2fsck, and a second sync writes nothing.
 */
class SyncSnapshotTest {
    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
    }

    @Test
    void aStaleCopyGetsOnlyTheChangedBlocks() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 64);
        Cli.backupImage(repo, img);
        // A sparse copy: where the new image gets data in the old one's free space, the target has holes,
        // which sync knows are zeros without reading them.
        Path stale = tmp.resolve("stale.img");
        Proc.sh(tmp, "cp --sparse=always " + img + " " + stale);
        assertTrue(Images.allocated(stale) < 32L * MIB, "the stale copy should be sparse");

        // About 2% of the image changes: a new 1 MiB file written into the file system (its data plus the
        // bitmaps, inode table and directory it touches) and 256 KiB overwritten inside big.bin's blocks.
        Path extra = Trees.writeRandom(tmp.resolve("extra.bin"), 21, MIB);
        Proc.sh(tmp, "debugfs -w -R 'write " + extra + " extra.bin' " + img + " >/dev/null 2>&1");
        long bigBin = firstBlockOf(img, "/big.bin") * 4096L;
        Images.scribble(img, bigBin + 300_000, 256 << 10, 22);
        // And the stale copy has garbage where the new image has an all-zero block (a hole in the snapshot).
        long hole = 60L * MIB;
        assertTrue(isZero(Files.readAllBytes(img), hole, MIB), "block 60 of the image should be empty");
        Images.scribble(stale, hole + 12345, 100, 23);
        String snap = Cli.backupImage(repo, img);

        List<Long> changed = differingBlocks(Files.readAllBytes(stale), Files.readAllBytes(img));
        assertTrue(changed.contains(60L) && changed.size() >= 4 && changed.size() <= 8, "changed blocks: " + changed);

        Map<String, Object> dry = Json.object(Cli.expect(0, repo, "sync", "--dry-run", "--json", snap, stale.toString()).out());
        assertEquals(changed, blocksOf(dry));
        assertEquals(0L, dry.get("blocks_written"));

        Map<String, Object> first = Json.object(Cli.expect(0, repo, "sync", "--json", snap, stale.toString()).out());
        assertEquals(64L, first.get("blocks_compared"));
        assertEquals((long) changed.size(), first.get("blocks_written"));
        assertEquals(changed.size() * (long) MIB, first.get("bytes_written"));
        assertEquals(changed, blocksOf(first));
        assertEquals(Trees.sha256(img), first.get("sha256"));
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(stale));
        Proc.Output fsck = Proc.run(tmp, List.of("e2fsck", "-fn", stale.toString()));
        assertEquals(0, fsck.code(), "e2fsck of the synced copy: " + fsck.out() + fsck.err());
        assertTrue(Proc.sh(tmp, "debugfs -R 'ls -l /' " + stale + " 2>/dev/null").contains("extra.bin"));

        Map<String, Object> again = Json.object(Cli.expect(0, repo, "sync", "--json", snap, stale.toString()).out());
        assertEquals(0L, again.get("blocks_written"));
        assertEquals(List.of(), blocksOf(again));
    }

    @Test
    void aNewFileFromASnapshotIsSparseWhereTheImageHasHoles() throws Exception {
        Path img = Images.ext4(tmp, "disk.img", 64);
        String snap = Cli.backupImage(repo, img);
        Path copy = tmp.resolve("copy.img");
        Map<String, Object> r = Json.object(Cli.expect(0, repo, "sync", "--json", snap, copy.toString()).out());
        long nonZero = differingBlocks(new byte[64 * MIB], Files.readAllBytes(img)).size();
        assertEquals(nonZero, r.get("blocks_written"));
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(copy));
        // st_blocks also counts the file system's own blocks for the file (its extent tree): a little slack
        assertTrue(Images.allocated(copy) <= nonZero * MIB + (64 << 10), "holes were written: " + Images.allocated(copy));
    }

    @Test
    void aTreeSnapshotOrAnotherBlockSizeIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(dir.resolve("f"), "x");
        String tree = Cli.backup(repo, dir);
        Cli.Result r = Cli.run(repo, "sync", tree, tmp.resolve("t.img").toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("cairn: snapshot " + tree + " is a tree snapshot, not an image snapshot"), r.errLines());

        Path img = Images.ext4(tmp, "disk.img", 16);
        String snap = Cli.backupImage(repo, img);
        Cli.Result bs = Cli.run(repo, "sync", "--block-size", "64K", snap, tmp.resolve("t.img").toString());
        assertEquals(1, bs.code(), bs.toString());
        assertEquals(1, bs.errLines().size(), bs.toString());
        assertTrue(!Files.exists(tmp.resolve("t.img")));
        Cli.Result unknown = Cli.run(repo, "sync", "deadbeef", tmp.resolve("t.img").toString());
        assertEquals(1, unknown.code(), unknown.toString());
        assertTrue(unknown.err().startsWith("cairn: source deadbeef is neither a file nor a snapshot"), unknown.err());
    }


    private static long firstBlockOf(Path img, String file) {
        String blocks = Proc.sh(img.getParent(), "debugfs -R 'blocks " + file + "' " + img + " 2>/dev/null").trim();
        return Long.parseLong(blocks.split("\\s+")[0]);
    }

    private static boolean isZero(byte[] b, long from, int len) {
        return Arrays.equals(b, (int) from, (int) from + len, new byte[len], 0, len);
    }

    /** The 1 MiB blocks where {@code a} and {@code b} differ. */
    private static List<Long> differingBlocks(byte[] a, byte[] b) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < b.length / MIB; i++) {
            if (!Arrays.equals(a, i * MIB, (i + 1) * MIB, b, i * MIB, (i + 1) * MIB)) {
                out.add((long) i);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Long> blocksOf(Map<String, Object> report) {
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) report.get("differing")) {
            for (long b = (Long) r.get("first_block"); b <= (Long) r.get("last_block"); b++) {
                out.add(b);
            }
        }
        return out;
    }
}
