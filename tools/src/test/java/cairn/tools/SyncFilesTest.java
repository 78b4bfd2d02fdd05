package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sync} between image files: only the differing blocks are written, the result is a
 * bit-identical copy, a dry run changes nothing, and a file target takes the source's size. Blocks are
 * 64 KiB so a few MB of image exercise many blocks, a partial last block and the parallel window.
 */
class SyncFilesTest {
    static final int BS = 64 << 10;
    /** 40 blocks and a 1000-byte partial last block. */
    static final int SIZE = 40 * BS + 1000;

    @TempDir
    Path tmp;
    Path repo;
    Path source;
    byte[] image;

    @BeforeEach
    void sourceImage() throws IOException {
        repo = tmp.resolve("no-repo-needed");
        image = new byte[SIZE];
        new Random(7).nextBytes(image);
        // a run of zero blocks, as in a half-empty file system
        java.util.Arrays.fill(image, 10 * BS, 20 * BS, (byte) 0);
        source = tmp.resolve("source.img");
        Files.write(source, image);
    }

    private Map<String, Object> sync(String... extra) {
        List<String> args = new ArrayList<>(List.of("sync", "--json", "--block-size", "64K"));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.expect(0, repo, args.toArray(new String[0]));
        return Json.object(r.out());
    }

    /** A copy of the source with one byte changed in each of the given blocks. */
    private Path staleCopy(int... blocks) throws IOException {
        byte[] stale = image.clone();
        for (int b : blocks) {
            int at = Math.min(SIZE - 1, b * BS + 4321);
            stale[at] ^= 0x5a;
        }
        Path t = tmp.resolve("target.img");
        Files.write(t, stale);
        return t;
    }

    @Test
    void writesExactlyTheChangedBlocksThenNothing() throws IOException {
        Path target = staleCopy(3, 4, 12, 31, 40);
        Map<String, Object> first = sync(source.toString(), target.toString());
        assertEquals(41L, first.get("blocks_compared"));
        assertEquals(5L, first.get("blocks_written"));
        assertEquals(4L * BS + 1000, first.get("bytes_written"));
        assertEquals(List.of(range(3, 4), range(12, 12), range(31, 31), range(40, 40)), ranges(first));
        assertArrayEquals(image, Files.readAllBytes(target));
        assertEquals(sha256(image), first.get("sha256"));

        Map<String, Object> second = sync(source.toString(), target.toString());
        assertEquals(41L, second.get("blocks_compared"));
        assertEquals(0L, second.get("blocks_written"));
        assertEquals(List.of(), ranges(second));
    }

    @Test
    void whatTheSyncHasReadLeavesThePageCache() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("tmpfs".equals(Files.getFileStore(tmp).type()),
                "tmpfs keeps every page in memory; the page cache is only advice there");
        Path target = staleCopy();
        for (Path p : List.of(source, target)) {
            // Clean pages: the kernel drops only those (dirty ones are written back first).
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.readAllBytes(p);
        }
        assertTrue(resident(source) && resident(target), "both were just read");
        assertEquals(0L, sync(source.toString(), target.toString()).get("blocks_written"));
        assertFalse(resident(source), "the source was dropped behind the pass");
        assertFalse(resident(target), "the target was dropped behind the pass");
    }

    /** mincore(2) through the JDK: true when every page of the file is in memory. */
    private static boolean resident(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            return ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size()).isLoaded();
        }
    }

    @Test
    void theSummaryLineSaysWhatWasDone() throws IOException {
        Path target = staleCopy(0, 39);
        Cli.Result r = Cli.expect(0, repo, "sync", "--block-size", "64K", source.toString(), target.toString());
        assertEquals(1, r.outLines().size(), r.toString());
        assertTrue(r.out().startsWith("synced " + source + " to " + target + ": 41 blocks of 64 KiB compared, 2 written ("),
                r.out());
        assertTrue(r.out().contains("SHA-256 " + sha256(image)), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aDryRunListsTheRangesAndWritesNothing() throws IOException {
        Path target = staleCopy(5, 6, 7, 20, 40);
        byte[] before = Files.readAllBytes(target);
        FileTime mtime = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(target, mtime);
        Map<String, Object> dry = sync("--dry-run", source.toString(), target.toString());
        assertEquals(true, dry.get("dry_run"));
        assertEquals(5L, dry.get("blocks_differing"));
        assertEquals(0L, dry.get("blocks_written"));
        assertEquals(List.of(range(5, 7), range(20, 20), range(40, 40)), ranges(dry));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(mtime, Files.getLastModifiedTime(target));

        Cli.Result text = Cli.expect(0, repo, "sync", "--dry-run", "--block-size", "64K", source.toString(),
                target.toString());
        assertEquals(List.of("differs: blocks 5-7, bytes " + 5 * BS + "-" + (8 * BS - 1) + " (197 kB)",
                "differs: block 20, bytes " + 20 * BS + "-" + (21 * BS - 1) + " (65.5 kB)",
                "differs: block 40, bytes " + 40 * BS + "-" + (SIZE - 1) + " (1.00 kB)"),
                text.outLines().subList(0, 3));
        assertTrue(text.lastOutLine().contains("41 blocks of 64 KiB compared, 5 differ") && text.lastOutLine()
                .endsWith("nothing written"), text.out());
        assertArrayEquals(before, Files.readAllBytes(target));
    }

    @Test
    void aShorterFileIsExtendedAndTheNewPartWritten() throws IOException {
        Path target = tmp.resolve("short.img");
        Files.write(target, java.util.Arrays.copyOf(image, 25 * BS + 7));
        Map<String, Object> r = sync(source.toString(), target.toString());
        // block 25 (cut short) and 26..40 past the old end; nothing before
        assertEquals(List.of(range(25, 40)), ranges(r));
        assertEquals((long) 25 * BS + 7, r.get("target_old_size"));
        assertArrayEquals(image, Files.readAllBytes(target));
    }

    @Test
    void aLongerFileIsTruncatedToTheSource() throws IOException {
        Path target = tmp.resolve("long.img");
        byte[] longer = java.util.Arrays.copyOf(image, SIZE + 3 * BS);
        longer[SIZE + 5] = 1;
        Files.write(target, longer);
        Map<String, Object> r = sync(source.toString(), target.toString());
        assertEquals(0L, r.get("blocks_written"));
        assertEquals((long) SIZE, r.get("target_new_size"));
        assertArrayEquals(image, Files.readAllBytes(target));
    }

    @Test
    void aMissingTargetIsCreatedWithItsZeroBlocksLeftAsHoles() throws IOException {
        Path target = tmp.resolve("new.img");
        Map<String, Object> r = sync(source.toString(), target.toString());
        // every block but the ten zero ones (10..19) is written
        assertEquals(List.of(range(0, 9), range(20, 40)), ranges(r));
        assertEquals(31L, r.get("blocks_written"));
        assertArrayEquals(image, Files.readAllBytes(target));
        long allocated = Long.parseLong(Proc.sh(tmp, "stat -c %b new.img").trim()) * 512;
        assertTrue(allocated <= SIZE - 10L * BS + BS, "zero blocks were written: " + allocated + " bytes allocated");
    }

    @Test
    void aSparseSourceWhoseHolesMeetDataInTheTarget() throws IOException {
        // Source: data in blocks 0-1 and 30, holes elsewhere (never written, so SEEK_DATA skips them).
        Path sparse = tmp.resolve("sparse.img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(SIZE);
            f.write(image, 0, 2 * BS);
            f.seek(30L * BS);
            f.write(image, 30 * BS, BS);
        }
        byte[] want = Files.readAllBytes(sparse);
        Path target = tmp.resolve("target.img");
        Files.write(target, image);
        Map<String, Object> r = sync(sparse.toString(), target.toString());
        // the data blocks match; every other block of the target held data (but 10-19, zeros already)
        assertEquals(List.of(range(2, 9), range(20, 29), range(31, 40)), ranges(r));
        assertArrayEquals(want, Files.readAllBytes(target));
        assertEquals(sha256(want), r.get("sha256"));
        // Blocks that became zeros are holes now, not written zeros: what stays allocated is the three
        // data blocks and the ten zero blocks the target already held (they matched, so were not touched).
        long allocated = Long.parseLong(Proc.sh(tmp, "stat -c %b target.img").trim()) * 512;
        assertTrue(allocated <= 14L * BS, "zeros were written instead of holes: " + allocated + " bytes allocated");
    }

    @Test
    void aDryRunDoesNotCreateTheTarget() {
        Path target = tmp.resolve("never.img");
        Map<String, Object> r = sync("--dry-run", source.toString(), target.toString());
        assertEquals(31L, r.get("blocks_differing"));
        assertFalse(Files.exists(target));
    }

    @Test
    void aSyncThatFailsLeavesAnOldTargetsSizeAndNoNewTarget() throws IOException {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String snap = Cli.backupImage(repo, source, "--block-size", "64K");
        Path segment;
        try (var all = Files.walk(repo.resolve("segments"))) {
            segment = all.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        Images.scribble(segment, Files.size(segment) / 2, 4096, 31); // a chunk in the middle no longer reads

        Path longer = tmp.resolve("longer.img");
        byte[] old = new byte[SIZE + 3 * BS];
        new Random(8).nextBytes(old);
        Files.write(longer, old);
        Cli.Result r = Cli.run(repo, "sync", snap, longer.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertEquals(old.length, Files.size(longer), "a failed sync must not cut the target to the source's size");

        // Blocks written past a shorter target's end would make it as long as the source, looking whole.
        Path shorter = tmp.resolve("shorter.img");
        Files.write(shorter, java.util.Arrays.copyOf(old, 2 * BS));
        r = Cli.run(repo, "sync", snap, shorter.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(2L * BS, Files.size(shorter), "a failed sync grew the target");

        Path fresh = tmp.resolve("fresh.img");
        r = Cli.run(repo, "sync", snap, fresh.toString());
        assertEquals(1, r.code(), r.toString());
        assertFalse(Files.exists(fresh), "a failed sync left a new target that looks whole");
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains("cairn-sync")).toList());
        }
    }

    @Test
    void aGzipSourceIsRefusedRatherThanCopiedCompressed() throws IOException {
        Path gz = tmp.resolve("source.img.gz");
        Proc.sh(tmp, "gzip -c source.img > source.img.gz");
        Cli.Result r = Cli.run(repo, "sync", gz.toString(), tmp.resolve("t.img").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("gzip-compressed"), r.toString());
        assertFalse(Files.exists(tmp.resolve("t.img")));
    }

    @Test
    void badBlockSizes() {
        for (String bs : new String[] {"3000", "100K", "32K", "128M", "-1", "lots"}) {
            Cli.Result r = Cli.run(repo, "sync", "--block-size", bs, source.toString(), tmp.resolve("t.img").toString());
            assertEquals(1, r.code(), bs + ": " + r);
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().startsWith("cairn: "), r.toString());
            assertFalse(Files.exists(tmp.resolve("t.img")), bs);
        }
    }

    @Test
    void badSourcesAndTargets() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        String[][] cases = {
                {source.toString(), source.toString()},                              // the same file
                {tmp.resolve("missing.img").toString(), tmp.resolve("t.img").toString()}, // no such file or snapshot
                {source.toString(), dir.toString()},                                 // a directory
                {source.toString(), tmp.resolve("no/such/dir/t.img").toString()},    // no directory for it
                {dir.toString(), tmp.resolve("t.img").toString()},                   // a directory as source
        };
        for (String[] c : cases) {
            Cli.Result r = Cli.run(repo, "sync", c[0], c[1]);
            assertEquals(1, r.code(), String.join(" ", c) + ": " + r);
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().startsWith("cairn: "), r.toString());
        }
        assertArrayEquals(image, Files.readAllBytes(source));
        assertFalse(Files.exists(tmp.resolve("t.img")));
    }

    private static Map<String, Object> range(long first, long last) {
        long offset = first * BS;
        long end = Math.min(SIZE, (last + 1) * BS);
        return Map.of("first_block", first, "last_block", last, "offset", offset, "length", end - offset);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ranges(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("differing");
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
