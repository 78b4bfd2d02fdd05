package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cairn.fs.fuse.FuseUnavailableException;
import cairn.fs.mount.FuseMount;
import cairn.fs.mount.Preflight;
import cairn.fs.view.CairnFs;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets on a real OpenSSH server on 127.0.0.1, through the command line. */
class SftpTargetIT {
    @TempDir
    Path tmp;
    Sshd sshd;
    Path repo;
    Path remote;
    Path src;

    @BeforeEach
    void server() throws Exception {
        sshd = Sshd.start(tmp);
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        remote = Files.createDirectories(tmp.resolve("remote"));
        src = tmp.resolve("src");
        Trees.writeRandom(src.resolve("big.bin"), 7, 5_000_000);
        Files.writeString(src.resolve("small.txt"), "far away\n");
    }

    @AfterEach
    void stop() throws Exception {
        sshd.close();
    }

    private Cli.Result addTarget(String name, Path dir, Path knownHosts) {
        List<String> args = new ArrayList<>(List.of("target", "add", name, sshd.uri(dir), "--identity",
                sshd.identity.toString(), "--known-hosts", knownHosts.toString()));
        return Cli.run(repo, args.toArray(new String[0]));
    }

    @Test
    void backupPushEvictThenRestoreAndMountReadFromTheRemoteOnly() throws Exception {
        Cli.Result add = addTarget("far", remote, sshd.knownHosts);
        assertEquals(0, add.code(), add.toString());
        Cli.backup(repo, src);
        Set<String> segments = TargetFiles.segments(repo);
        assertEquals(segments, TargetFiles.segments(remote), "the backup pushed over SFTP");
        assertTrue(Files.isRegularFile(remote.resolve("catalog.db.zst")));
        assertTrue(Files.isRegularFile(remote.resolve("cairn-repository")));
        try (Stream<Path> left = Files.list(remote.resolve("tmp"))) {
            assertEquals(0, left.count(), "no temporary files left on the target");
        }
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());

        Path out = tmp.resolve("restored");
        Cli.expect(0, repo, "restore", "latest", out.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(out));
        assertTrue(Files.isDirectory(repo.resolve("cache")), "remote reads went through the block cache");
        Cli.expect(0, repo, "check", "--read-data");

        requireFuse();
        deleteTree(repo.resolve("cache")); // cold: every byte comes over SSH
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        try (Repository r = Repository.open(repo); CairnFs fs = CairnFs.allSnapshots(r, System.err::println)) {
            FuseMount mount = FuseMount.start(fs, mnt, System.err::println);
            try {
                assertArrayEquals(Files.readAllBytes(src.resolve("big.bin")), Files.readAllBytes(mnt.resolve("latest/big.bin")));
            } finally {
                mount.close();
                MountPoints.release(mnt);
            }
        }
    }

    @Test
    void anUnknownOrChangedHostKeyIsRefusedWithHowToAddIt() throws Exception {
        Path empty = Files.writeString(tmp.resolve("known_hosts_empty"), "");
        Cli.Result r = addTarget("far", remote, empty);
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("not known") && r.err().contains("ssh-keyscan -p " + sshd.port + " 127.0.0.1"),
                r.toString());
        assertEquals("", Files.readString(empty), "the key was not added silently");

        Path other = tmp.resolve("other_key");
        Proc.sh(tmp, "ssh-keygen -q -t ed25519 -N '' -f " + other);
        Path wrong = Files.writeString(tmp.resolve("known_hosts_wrong"),
                "[127.0.0.1]:" + sshd.port + " " + Files.readString(Path.of(other + ".pub")));
        r = addTarget("far", remote, wrong);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("CHANGED") && r.err().contains("ssh-keygen"), r.toString());
        assertTrue(Cli.expect(0, repo, "target", "list", "--json").out().strip().equals("[]"));
    }

    @Test
    void aConnectionCutInTheMiddleOfAPushIsFinishedByTheNextPush() throws Exception {
        assertEquals(0, addTarget("far", remote, sshd.knownHosts).code());
        Cli.expect(0, repo, "target", "remove", "far");
        // Three segments' worth of data, backed up while the target is known but its host is down.
        Trees.writeRandom(src.resolve("more.bin"), 8, 150_000_000);
        assertEquals(0, addTarget("far", remote, sshd.knownHosts).code());
        sshd.stop();
        Cli.Result b = Cli.run(repo, "backup", src.toString());
        assertEquals(4, b.code(), b.toString());
        assertTrue(b.err().contains("target far"), b.toString());
        Set<String> segments = TargetFiles.segments(repo);
        assertTrue(segments.size() >= 3, segments.toString());

        sshd.start();
        CompletableFuture<Cli.Result> push = CompletableFuture.supplyAsync(() -> Cli.run(repo, "push"));
        awaitUploadInProgress();
        sshd.stop();
        Cli.Result cut = push.get(120, TimeUnit.SECONDS);
        assertEquals(1, cut.code(), cut.toString());
        assertTrue(cut.err().contains("target far"), cut.toString());
        // Whatever made it into place is whole; nothing else was counted.
        for (String name : TargetFiles.segments(remote)) {
            assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, name)), Trees.sha256(TargetFiles.segmentFile(remote, name)));
        }
        Cli.Result evict = Cli.run(repo, "evict");
        assertEquals(1, evict.code(), "the target is down: nothing can be verified there");
        assertEquals(segments, TargetFiles.segments(repo), "no local copy was dropped");

        sshd.start();
        Cli.expect(0, repo, "push");
        assertEquals(segments, TargetFiles.segments(remote));
        for (String name : segments) {
            assertEquals(Trees.sha256(TargetFiles.segmentFile(repo, name)), Trees.sha256(TargetFiles.segmentFile(remote, name)));
        }
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());
    }

    @Test
    void aHostThatAcceptsButNeverAnswersFailsThePushWithinTheDeadline() throws Exception {
        assertEquals(0, addTarget("far", remote, sshd.knownHosts).code());
        System.setProperty("cairn.ssh.connectDeadlineMs", "2000");
        sshd.freeze();
        try {
            String expected = "cannot reach root@127.0.0.1:" + sshd.port + ": no answer within 2 s";
            Cli.Result b = CompletableFuture.supplyAsync(() -> Cli.run(repo, "backup", src.toString()))
                    .get(60, TimeUnit.SECONDS);
            assertEquals(4, b.code(), b.toString());
            assertTrue(b.err().contains(expected), b.toString());
            Cli.Result push = CompletableFuture.supplyAsync(() -> Cli.run(repo, "push")).get(60, TimeUnit.SECONDS);
            assertEquals(1, push.code(), push.toString());
            assertEquals(1, push.errLines().size(), push.toString());
            assertTrue(push.err().contains(expected), push.toString());
        } finally {
            sshd.thaw();
        }
        // Three targets on the silent host: the push waits out one deadline, not one per target in turn.
        assertEquals(0, addTarget("far2", Files.createDirectories(tmp.resolve("remote2")), sshd.knownHosts).code());
        assertEquals(0, addTarget("far3", Files.createDirectories(tmp.resolve("remote3")), sshd.knownHosts).code());
        sshd.freeze();
        try {
            long t0 = System.nanoTime();
            Cli.Result push = CompletableFuture.supplyAsync(() -> Cli.run(repo, "push")).get(60, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals(1, push.code(), push.toString());
            assertEquals(3, push.errLines().size(), push.toString());
            assertTrue(seconds < 5, "three silent targets took " + seconds + " s: connected one after another");
        } finally {
            sshd.thaw();
            System.clearProperty("cairn.ssh.connectDeadlineMs");
        }
        Cli.expect(0, repo, "push");
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote));
    }

    @Test
    void aFullRemoteDiskNamesASegmentThatDoesNotFitAndTheSpaceReallyFree() throws Exception {
        Require.that(Require.isRoot() && Require.hasCommand("mount"), "mounting a small tmpfs needs root");
        // Four segments, backed up before there is a target: any two of the last two fit after the first
        // two, not both. Pushed at once, uploads run side by side and take each other's room.
        int[] sizes = {1_100_000, 1_300_000, 1_500_000, 1_700_000};
        for (int i = 0; i < sizes.length; i++) {
            Path s = tmp.resolve("part" + i);
            Trees.writeRandom(s.resolve("f.bin"), 40 + i, sizes[i]);
            Cli.backup(repo, s);
        }
        Map<String, Long> segmentSizes = new HashMap<>();
        for (String name : TargetFiles.segments(repo)) {
            segmentSizes.put(name, Files.size(TargetFiles.segmentFile(repo, name)));
        }
        assertEquals(4, segmentSizes.size());
        Path small = Files.createDirectories(tmp.resolve("small"));
        Proc.sh(tmp, "mount -t tmpfs -o size=4m cairn-test-full-sftp " + small);
        try {
            assertEquals(0, addTarget("small", small, sshd.knownHosts).code());
            Cli.Result push = Cli.run(repo, "push");
            assertEquals(1, push.code(), push.toString());
            assertEquals(1, push.errLines().size(), push.toString());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("cairn: push: target small: no space left on "
                    + java.util.regex.Pattern.quote(sshd.uri(small)) + " for segments/../([0-9a-f]{32})\\.seg"
                    + " \\((\\d+) bytes free, (\\d+) needed\\)(; 1 more segment not placed there)?")
                    .matcher(push.err().strip());
            assertTrue(m.matches(), push.toString());
            String named = m.group(1);
            long free = Long.parseLong(m.group(2));
            assertEquals(segmentSizes.get(named), Long.parseLong(m.group(3)), "the named segment's own size");
            assertEquals(Files.getFileStore(small).getUsableSpace(), free,
                    "the free space the disk has, not what the failed uploads left of it\n" + push);
            Set<String> placed = TargetFiles.segments(small);
            assertEquals(3, placed.size(), "everything that fits was placed: " + placed);
            assertFalse(placed.contains(named), named + " was named but placed");
            for (Map.Entry<String, Long> seg : segmentSizes.entrySet()) {
                assertTrue(placed.contains(seg.getKey()) || seg.getValue() > free,
                        "segment " + seg.getKey() + " (" + seg.getValue() + " bytes) would have fit in " + free);
            }
            try (Stream<Path> left = Files.list(small.resolve("tmp"))) {
                assertEquals(0, left.count(), "the partial uploads were removed");
            }
            Proc.sh(tmp, "mount -o remount,size=20m " + small);
            Cli.expect(0, repo, "push");
            assertEquals(segmentSizes.keySet(), TargetFiles.segments(small));
        } finally {
            Proc.run(tmp, List.of("umount", small.toString()));
        }
    }

    @Test
    void aCopyOfTheRemoteDirectoryIsASecondTargetAndTheSameDirectoryUnderAnotherNameIsNot() throws Exception {
        assertEquals(0, addTarget("far", remote, sshd.knownHosts).code());
        Cli.backup(repo, src);
        Set<String> segments = TargetFiles.segments(repo);
        // The same directory, as a local path and over SFTP through a symlink: only a file put there through
        // one name and found through the other tells.
        Cli.Result local = Cli.run(repo, "target", "add", "here", remote.toString());
        assertEquals(1, local.code(), local.toString());
        assertEquals(List.of("cairn: " + remote + " is the directory of target far (" + sshd.uri(remote) + ") under"
                + " another path: one directory cannot be two targets"), local.errLines());
        Path link = Files.createSymbolicLink(tmp.resolve("remote-link"), remote);
        Cli.Result viaLink = addTarget("far2", link, sshd.knownHosts);
        assertEquals(1, viaLink.code(), viaLink.toString());
        assertTrue(viaLink.err().contains("is the directory of target far"), viaLink.toString());
        try (Stream<Path> left = Files.list(remote.resolve("tmp"))) {
            assertEquals(0, left.count(), "the probe was removed");
        }
        assertEquals("target far", Files.readAllLines(remote.resolve("cairn-repository")).get(3));

        Path copy = tmp.resolve("remote-copy");
        Proc.sh(tmp, "cp -a " + remote + " " + copy);
        Cli.Result add = addTarget("far-copy", copy, sshd.knownHosts);
        assertEquals(0, add.code(), add.toString());
        assertTrue(add.out().contains("it already holds " + segments.size() + " of this repository's segments"), add.out());
        assertEquals("target far-copy", Files.readAllLines(copy.resolve("cairn-repository")).get(3));
        assertEquals("target far", Files.readAllLines(remote.resolve("cairn-repository")).get(3));
        assertEquals("", Cli.expect(0, repo, "push").out(), "the copies counted: nothing to send");
        Cli.expect(0, repo, "check", "--read-data");
    }

    /** Waits until a segment is being written under its temporary name on the target. */
    private void awaitUploadInProgress() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            Path t = remote.resolve("tmp");
            if (Files.isDirectory(t)) {
                try (Stream<Path> s = Files.list(t)) {
                    if (s.anyMatch(p -> p.toString().contains(".seg.") && p.toFile().length() > 0)) {
                        return;
                    }
                }
            }
            Thread.sleep(2);
        }
        fail("no upload started within 60 s");
    }

    @Test
    void recoverFromTheRemoteAloneAndReadEverythingFromThere() throws Exception {
        assertEquals(0, addTarget("far", remote, sshd.knownHosts).code());
        String id = Cli.backup(repo, src);
        Path rebuilt = tmp.resolve("rebuilt");
        List<String> args = new ArrayList<>(List.of("recover", "--from", sshd.uri(remote)));
        args.addAll(sshd.sshOptions());
        args.add(rebuilt.toString());
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        Cli.expect(0, rebuilt, "restore", id, tmp.resolve("out").toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("out")));
        Cli.expect(0, rebuilt, "check", "--read-data");
    }

    private static void requireFuse() {
        try {
            Preflight.fuse();
        } catch (FuseUnavailableException e) {
            Require.that(false, "FUSE unavailable: " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
