package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets on local directories, through the command line: push, evict, reads from targets, recover. */
class LocalTargetsTest {
    @TempDir
    Path tmp;
    Path repo;
    Path src;

    @BeforeEach
    void repository() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = tmp.resolve("src");
        Trees.writeRandom(src.resolve("big.bin"), 1, 3_000_000);
        Files.writeString(src.resolve("note.txt"), "kept on another disk\n");
    }

    private Path addTarget(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Cli.expect(0, repo, "target", "add", name, dir.toString());
        return dir;
    }

    /** A backup of fresh data: one more segment. */
    private String backupMore(int seed) throws Exception {
        Path s = tmp.resolve("more" + seed);
        Trees.writeRandom(s.resolve("f.bin"), 100 + seed, 500_000);
        return Cli.backup(repo, s);
    }

    @Test
    void backupPushesEvictDropsLocalCopiesAndRestoreReadsFromTheTarget() throws Exception {
        Path usb = addTarget("usb");
        assertTrue(Files.isRegularFile(usb.resolve("cairn-repository")), "target add writes the marker");
        Cli.backup(repo, src);
        Set<String> local = TargetFiles.segments(repo);
        assertEquals(1, local.size());
        assertEquals(local, TargetFiles.segments(usb), "the backup pushed its segment");
        assertTrue(Files.isRegularFile(usb.resolve("catalog.db.zst")), "the target has a catalog copy");
        for (String name : local) {
            assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, name)), Trees.sha256(TargetFiles.segmentFile(usb, name)));
        }
        Cli.Result again = Cli.expect(0, repo, "push");
        assertEquals("", again.out(), "a push with nothing to do prints nothing");

        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty(), "evict dropped the local copy");
        Path out = tmp.resolve("restored");
        Cli.expect(0, repo, "restore", "latest", out.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(out));
        Cli.expect(0, repo, "check", "--read-data");
        Cli.Result list = Cli.expect(0, repo, "target", "list", "--json");
        Map<String, Object> row = Json.array(list.out()).get(0);
        assertEquals("usb", row.get("name"));
        assertEquals(1L, ((Number) row.get("segments")).longValue());
        assertTrue(((Number) row.get("free_bytes")).longValue() > 0);
    }

    @Test
    void aSegmentDamagedOnThisDiskBeforeItsFirstPushIsNotPlaced() throws Exception {
        Cli.backup(repo, src);
        backupMore(1);
        List<String> names = new java.util.ArrayList<>(TargetFiles.segments(repo));
        java.util.Collections.sort(names);
        assertEquals(2, names.size());
        Path damaged = TargetFiles.segmentFile(repo, names.get(0));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(damaged,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x55}), 1000);
        }
        Path usb = addTarget("usb");
        Cli.Result r = Cli.expect(1, repo, "push");
        assertTrue(r.err().contains(names.get(0)), r.toString());
        assertEquals(Set.of(names.get(1)), TargetFiles.segments(usb), "the sound segment is placed, the damaged one not");
        Path placed = TargetFiles.segmentFile(usb, names.get(1));
        assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, names.get(1))), Trees.sha256(placed));
    }

    @Test
    void aSegmentWithoutAChecksumIsScannedBeforeItIsHashedAndNotPlacedWhenDamaged() throws Exception {
        Cli.backup(repo, src);
        // As a catalog upgraded from before segment checksums leaves it.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("catalog.db"));
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE segments SET sha256 = NULL");
        }
        String name = TargetFiles.segments(repo).iterator().next();
        Path file = TargetFiles.segmentFile(repo, name);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x55}), 1000);
        }
        Path usb = addTarget("usb");
        Cli.Result r = Cli.expect(1, repo, "push");
        assertTrue(r.err().contains(name) && r.err().contains("damaged from offset"), r.toString());
        assertTrue(TargetFiles.segments(usb).isEmpty(), "nothing placed");
    }

    @Test
    void removeIsRefusedWhileTheTargetHoldsTheOnlyCopy() throws Exception {
        addTarget("usb");
        Cli.backup(repo, src);
        Cli.expect(0, repo, "evict");
        Cli.Result r = Cli.expect(1, repo, "target", "remove", "usb");
        assertTrue(r.err().contains("only copy"), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        Cli.expect(0, repo, "target", "remove", "usb", "--force");
        Cli.expect(1, repo, "restore", "latest", tmp.resolve("gone").toString());
    }

    @Test
    void evictNeverDropsTheLastCopy() throws Exception {
        Cli.backup(repo, src);
        Cli.expect(1, repo, "evict"); // no targets at all
        Path usb = addTarget("usb");
        Cli.expect(0, repo, "push");
        String name = TargetFiles.segments(repo).iterator().next();
        // The copy there is damaged after its push: it must not count, and the next push replaces it.
        Path copy = TargetFiles.segmentFile(usb, name);
        byte[] b = Files.readAllBytes(copy);
        b[b.length / 2] ^= 1;
        Files.write(copy, b);
        Cli.Result r = Cli.expect(1, repo, "evict");
        assertTrue(r.err().contains("damaged"), r.toString());
        assertTrue(Files.exists(TargetFiles.segmentFile(repo, name)), "the local copy is still here");
        Cli.expect(0, repo, "push");
        assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, name)), Trees.sha256(copy), "push replaced the bad copy");
        Cli.expect(0, repo, "evict");
        assertFalse(Files.exists(TargetFiles.segmentFile(repo, name)));
    }

    @Test
    void aMissingTargetFailsThePushButNotTheSnapshotAndTheNextPushFinishes() throws Exception {
        Path usb = addTarget("usb");
        Path away = tmp.resolve("usb-unplugged");
        Files.move(usb, away);
        Cli.Result r = Cli.run(repo, "backup", src.toString());
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.lastOutLine().matches("[0-9a-f]{8}"), "the snapshot id is still the last line: " + r);
        assertTrue(r.err().contains("target usb") && r.err().contains("does not exist"), r.toString());
        Cli.expect(1, repo, "push");
        Files.move(away, usb);
        Cli.expect(0, repo, "push");
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(usb));
    }

    @Test
    void checkFindsACopyThatWentMissingOrBadOnATarget() throws Exception {
        Path usb = addTarget("usb");
        Cli.backup(repo, src);
        List<String> names = List.copyOf(TargetFiles.segments(usb));
        Path damaged = TargetFiles.segmentFile(usb, names.get(0));
        byte[] b = Files.readAllBytes(damaged);
        b[b.length / 2] ^= 0x55;
        Files.write(damaged, b);
        Cli.expect(0, repo, "check"); // same size: only reading the copy tells
        Cli.Result deep = Cli.run(repo, "check", "--read-data");
        assertEquals(1, deep.code(), deep.toString());
        assertTrue(deep.out().contains("target usb") && deep.out().contains("does not match its SHA-256"), deep.toString());
        assertTrue(deep.out().contains("forgot 1 bad copy"), deep.toString());
        Cli.expect(0, repo, "push");
        Cli.expect(0, repo, "check", "--read-data");

        Files.delete(TargetFiles.segmentFile(usb, names.get(0)));
        Cli.Result r = Cli.run(repo, "check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("segment " + names.get(0) + " is missing"), r.toString());
        Cli.expect(0, repo, "push");
        Cli.expect(0, repo, "check", "--read-data");

        Files.delete(usb.resolve("cairn-repository"));
        r = Cli.run(repo, "check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("is the disk mounted"), r.toString());
    }

    @Test
    void aTargetRemovedAndAddedAgainIsTakenBackWithItsCopies() throws Exception {
        Path usb = addTarget("usb");
        Cli.backup(repo, src);
        int segments = TargetFiles.segments(usb).size();
        Cli.expect(0, repo, "evict");
        Cli.expect(0, repo, "target", "remove", "usb", "--force");
        assertEquals(1, Cli.run(repo, "check").code(), "with the target forgotten, its copies are the only ones");
        Cli.Result again = Cli.expect(0, repo, "target", "add", "usb", usb.toString());
        assertTrue(again.out().contains("already holds " + segments + " of this repository's segments"), again.out());
        Cli.expect(0, repo, "check", "--read-data");
        Cli.expect(0, repo, "restore", "latest", tmp.resolve("out").toString());
    }

    @Test
    void aRecoveredCopyAndItsOriginalNeverOverwriteEachOthersCatalogCopy() throws Exception {
        Path usb = addTarget("usb");
        Cli.backup(repo, src);
        Path drill = tmp.resolve("drill");
        assertEquals(0, Cli.run("recover", "--from", usb.toString(), drill.toString()).code());
        // The original goes on and pushes; then the drill's copy backs up and would push its catalog.
        String original = backupMore(21);
        Files.writeString(src.resolve("drill.txt"), "drill\n");
        Cli.Result fromDrill = Cli.run(drill, "backup", src.toString());
        assertEquals(4, fromDrill.code(), fromDrill.toString());
        assertTrue(fromDrill.err().contains("written by another copy of this repository"), fromDrill.toString());
        Path again = tmp.resolve("again");
        assertEquals(0, Cli.run("recover", "--from", usb.toString(), again.toString()).code());
        assertTrue(Cli.expect(0, again, "snapshots").out().contains(original), "the original's snapshot was lost");

        // A drill that only pushes has nothing of its own: the original's next push replaces its copy.
        Path idle = tmp.resolve("idle-drill");
        assertEquals(0, Cli.run("recover", "--from", usb.toString(), idle.toString()).code());
        Cli.expect(0, idle, "push");
        Files.writeString(src.resolve("after-drill.txt"), "x\n");
        Cli.expect(0, repo, "backup", src.toString());

        // A copy recovered after the original's last push carries on in its place; the original then may not.
        Path successor = tmp.resolve("successor");
        assertEquals(0, Cli.run("recover", "--from", usb.toString(), successor.toString()).code());
        Files.writeString(src.resolve("next.txt"), "next\n");
        Cli.expect(0, successor, "backup", src.toString());
        assertEquals(1, Cli.run(repo, "push").code(), "the original overwrote its successor's catalog copy");
    }

    @Test
    void thePushSummaryCountsSegmentsAndTheTargetsThatGotThem() throws Exception {
        addTarget("a");
        Cli.backup(repo, src);
        int segments = TargetFiles.segments(repo).size();
        addTarget("b");
        addTarget("c");
        Cli.Result push = Cli.expect(0, repo, "push");
        assertTrue(push.out().startsWith("pushed " + 2 * segments + " copies of " + segments + " segment")
                && push.out().contains(" to 2 targets "), push.out());
    }

    @Test
    void moreCopiesThanTargetsAreReportedAndEvictKeepsTheLocalOnes() throws Exception {
        addTarget("a");
        addTarget("b");
        assertEquals(1, Cli.run(repo, "target", "policy", "spread").code(), "spread without --copies");
        Cli.Result set = Cli.expect(0, repo, "target", "policy", "spread", "--copies", "3");
        assertTrue(set.err().contains("there are 2 targets"), set.toString());
        Cli.Result backup = Cli.run(repo, "backup", src.toString());
        assertEquals(4, backup.code(), backup.toString());
        assertTrue(backup.err().contains("2 of the 3 copies"), backup.toString());
        Set<String> local = TargetFiles.segments(repo);
        Cli.run(repo, "evict");
        assertEquals(local, TargetFiles.segments(repo), "evict dropped segments that have 2 of the 3 copies asked for");
    }

    @Test
    void aDiskNotMountedLeavesAnEmptyMountPointThatIsNeverWrittenTo() throws Exception {
        Path usb = addTarget("usb");
        Cli.backup(repo, src);
        // The disk is unplugged; its empty mount point stays behind.
        Files.move(usb, tmp.resolve("usb-unplugged"));
        Files.createDirectories(usb);
        Cli.Result r = Cli.run(repo, "push");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is the disk mounted"), r.toString());
        try (var s = Files.list(usb)) {
            assertEquals(List.of(), s.toList(), "the mount point was written to");
        }
        Files.writeString(src.resolve("new.txt"), "new\n");
        assertEquals(4, Cli.run(repo, "backup", src.toString()).code(), "the snapshot is saved, but not placed");
        try (var s = Files.list(usb)) {
            assertEquals(List.of(), s.toList(), "the backup wrote to the mount point");
        }
        Cli.Result list = Cli.run(repo, "target", "list");
        assertEquals(1, list.code(), list.toString());
        assertTrue(list.err().contains("is the disk mounted"), list.toString());
        Cli.Result evict = Cli.run(repo, "evict");
        assertEquals(1, evict.code(), evict.toString());
        Files.delete(usb);
        Files.move(tmp.resolve("usb-unplugged"), usb);
        Cli.expect(0, repo, "push");
        Cli.expect(0, repo, "check", "--read-data"); // evict forgot no copy while the disk was away
    }

    @Test
    void twoDisksSwappedAreBothUnavailableAndNamedSo() throws Exception {
        Path a = addTarget("a");
        Path b = addTarget("b");
        Cli.backup(repo, src);
        Files.move(a, tmp.resolve("x"));
        Files.move(b, a);
        Files.move(tmp.resolve("x"), b);
        Cli.Result push = Cli.run(repo, "push");
        assertEquals(1, push.code(), push.toString());
        assertTrue(push.err().contains("were two disks swapped"), push.toString());
        assertTrue(!push.err().contains("remove one"), push.toString());
    }

    @Test
    void aDirectoryWithFilesOrAlreadyATargetIsNotTaken() throws Exception {
        Path used = Files.createDirectories(tmp.resolve("used/tmp"));
        Files.writeString(used.resolve("notes.txt"), "precious\n");
        Cli.Result r = Cli.run(repo, "target", "add", "used", tmp.resolve("used").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is not empty"), r.toString());
        assertEquals("precious\n", Files.readString(used.resolve("notes.txt")));

        Path usb = addTarget("usb");
        Path link = Files.createSymbolicLink(tmp.resolve("usb-link"), usb);
        r = Cli.run(repo, "target", "add", "again", link.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is the directory of target usb"), r.toString());
        assertEquals(1, Json.array(Cli.expect(0, repo, "target", "list", "--json").out()).size());
    }

    @Test
    void aFullTargetGetsNothingCountedAndTheNextPushFinishesOnceThereIsRoom() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("mount"), "mounting a small tmpfs needs root");
        Path small = Files.createDirectories(tmp.resolve("small"));
        Proc.sh(tmp, "mount -t tmpfs -o size=1m cairn-test-full " + small);
        try {
            Cli.expect(0, repo, "target", "add", "small", small.toString());
            Cli.Result r = Cli.run(repo, "backup", src.toString());
            assertEquals(4, r.code(), r.toString());
            assertTrue(r.err().contains("no space left on " + small), r.toString());
            assertTrue(r.err().contains("(" + Files.getFileStore(small).getUsableSpace() + " bytes free, "),
                    "the free space is the disk's, not what the failed upload left of it: " + r);
            assertTrue(TargetFiles.segments(small).isEmpty());
            try (var left = Files.list(small.resolve("tmp"))) {
                assertEquals(0, left.count(), "the partial upload was removed");
            }
            Cli.expect(0, repo, "evict");
            assertEquals(1, TargetFiles.segments(repo).size(), "no verified copy elsewhere: the local copy stays");
            Proc.sh(tmp, "mount -o remount,size=20m " + small);
            Cli.expect(0, repo, "push");
            assertEquals(TargetFiles.segments(repo), TargetFiles.segments(small));
        } finally {
            Proc.run(tmp, List.of("umount", small.toString()));
        }
    }

    @Test
    void readsFallOverToTheNextCopyAndNameEveryTargetTriedWhenNoneIsLeft() throws Exception {
        Path a = addTarget("a");
        Path b = addTarget("b");
        Cli.backup(repo, src);
        Cli.expect(0, repo, "evict");
        Files.move(a, tmp.resolve("a-gone"));
        Cli.expect(0, repo, "restore", "latest", tmp.resolve("one").toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("one")));
        Files.move(b, tmp.resolve("b-gone"));
        Cli.Result r = Cli.expect(1, repo, "restore", "latest", tmp.resolve("two").toString());
        String segment = TargetFiles.segments(tmp.resolve("b-gone")).iterator().next();
        assertTrue(r.err().contains(segment) && r.err().contains("target a") && r.err().contains("target b"), r.toString());
    }

    @Test
    void spreadWithOneCopyPutsEachSegmentOnExactlyOneTargetAndCheckNamesWhatEachWouldLose() throws Exception {
        Path a = addTarget("a");
        Path b = addTarget("b");
        Cli.expect(0, repo, "target", "policy", "spread", "--copies", "1");
        for (int i = 0; i < 4; i++) {
            backupMore(i);
        }
        Set<String> all = TargetFiles.segments(repo);
        assertEquals(4, all.size());
        Set<String> onA = TargetFiles.segments(a);
        Set<String> onB = TargetFiles.segments(b);
        Set<String> both = new HashSet<>(onA);
        both.retainAll(onB);
        assertTrue(both.isEmpty(), "a segment is on both targets: " + both);
        Set<String> union = new HashSet<>(onA);
        union.addAll(onB);
        assertEquals(all, union, "every segment is on one of them");
        assertFalse(onA.isEmpty() || onB.isEmpty(), "equal free space spreads the segments over both");
        Cli.expect(0, repo, "evict");
        Cli.Result check = Cli.expect(0, repo, "check");
        for (String line : check.outLines()) {
            if (line.contains("target a")) {
                onA.forEach(s -> assertTrue(line.contains(s), line));
                onB.forEach(s -> assertFalse(line.contains(s), line));
            }
            if (line.contains("target b")) {
                onB.forEach(s -> assertTrue(line.contains(s), line));
            }
        }
        assertEquals(2, check.outLines().stream().filter(l -> l.contains("would be lost")).count(), check.toString());
    }

    @Test
    void recoverRebuildsAWorkingRepositoryFromOneTargetAlone() throws Exception {
        Path usb = addTarget("usb");
        String id = Cli.backup(repo, src);
        Path rebuilt = tmp.resolve("rebuilt");
        Cli.Result r = Cli.run("recover", "--from", usb.toString(), rebuilt.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(TargetFiles.segments(rebuilt).isEmpty());
        Cli.Result snaps = Cli.expect(0, rebuilt, "snapshots", "--json");
        assertEquals(id, Json.array(snaps.out()).get(0).get("id"));
        Cli.expect(0, rebuilt, "restore", id, tmp.resolve("out").toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("out")));
        // The rebuilt repository goes on: a new backup, pushed to the same target.
        backupMore(9);
        assertEquals(2, TargetFiles.segments(usb).size());
        Cli.Result again = Cli.run("recover", "--from", usb.toString(), rebuilt.toString());
        assertEquals(1, again.code(), "recover never overwrites a repository");
        List<String> lines = Cli.expect(1, repo, "recover", "--from", tmp.resolve("nothing").toString(),
                tmp.resolve("x").toString()).errLines();
        assertEquals(1, lines.size(), lines.toString());
    }
}
