package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cairn.fs.fuse.FuseUnavailableException;
import cairn.fs.mount.FuseMount;
import cairn.fs.mount.Preflight;
import cairn.fs.view.CairnFs;
import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads from targets while an SSH host is frozen (every sshd process stopped: its connections stay open
 * and nothing answers on them), with another copy of every segment elsewhere. Hosts that stop answering
 * are given up on after 2 s here (the default is 10 s).
 */
class FrozenHostIT {
    private static final String STALL_MS = "2000";

    @TempDir
    Path tmp;
    Sshd sshd;
    /** A second host, for the tests that need one. */
    Sshd sshd2;
    Path repo;
    Path src;

    @BeforeEach
    void repository() throws Exception {
        sshd = Sshd.start(tmp, true);
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = tmp.resolve("src");
        // Two segments' worth: enough 4 MiB blocks that a wait per block would show.
        Trees.writeRandom(src.resolve("big.bin"), 11, 90_000_000);
        Trees.writeRandom(src.resolve("other.bin"), 12, 9_000_000);
        Files.writeString(src.resolve("small.txt"), "kept twice\n");
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("cairn.ssh.stallMs");
        try {
            sshd.close(); // resumes a frozen server first
        } finally {
            if (sshd2 != null) {
                sshd2.close();
            }
        }
    }

    /**
     * Two SSH targets with every segment, on two hosts: "far" on {@link #sshd}, added first and so read
     * first, and "far2" on {@link #sshd2}. Nothing is left in the repository itself.
     */
    private void backupToTwoHostsAndEvict() throws Exception {
        sshd2 = Sshd.start(Files.createDirectories(tmp.resolve("host2")), true);
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path remote2 = Files.createDirectories(tmp.resolve("remote2"));
        addSftpTarget(sshd, "far", remote);
        addSftpTarget(sshd2, "far2", remote2);
        Cli.backup(repo, src);
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote));
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote2));
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());
        System.setProperty("cairn.ssh.stallMs", STALL_MS);
    }

    /** Waits until a block read from target {@code id} is in the cache: reads from it are under way. */
    private void awaitBlockFrom(long id) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cachedBlocksByTarget().getOrDefault(id, 0) == 0) {
            if (System.nanoTime() > end) {
                throw new AssertionError("nothing read from target " + id + " within 60 s");
            }
            Thread.sleep(2);
        }
    }

    private void addSftpTarget(Sshd server, String name, Path dir) {
        List<String> args = new ArrayList<>(List.of("target", "add", name, server.uri(dir)));
        args.addAll(server.sshOptions());
        Cli.Result r = Cli.run(repo, args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
    }

    /** Blocks in the repository's read cache, per target id: which targets the reads went to. */
    private Map<Long, Integer> cachedBlocksByTarget() throws Exception {
        Map<Long, Integer> out = new HashMap<>();
        Path cache = repo.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return out;
        }
        Pattern name = Pattern.compile("[0-9a-f]+-t(\\d+)-b\\d+\\.blk");
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.toList()) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    private long targetId(String name) throws Exception {
        try (Repository r = Repository.open(repo)) {
            TargetTable.Row row = r.catalog().targets().byName(name);
            return row.id();
        }
    }

    /** Runs a restore of the latest snapshot to {@code out} in this JVM; fails after 120 s. */
    private Cli.Result restore(Path out) throws Exception {
        return CompletableFuture.supplyAsync(() -> Cli.run(repo, "restore", "latest", out.toString()))
                .get(120, TimeUnit.SECONDS);
    }

    @Test
    void aLocalTargetIsReadBeforeAnSshTargetAddedEarlier() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path local = Files.createDirectories(tmp.resolve("local"));
        addSftpTarget(sshd, "rem", remote);
        Cli.expect(0, repo, "target", "add", "loc", local.toString());
        Cli.backup(repo, src);
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote));
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(local));
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());

        // The SSH host stops answering before the restore starts: a reader that went to
        // it first would wait for it to be given up on, block after block.
        sshd.freezeAll();
        long t0 = System.nanoTime();
        Cli.Result r = restore(tmp.resolve("out"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("out")));
        Map<Long, Integer> blocks = cachedBlocksByTarget();
        assertEquals(null, blocks.get(targetId("rem")), "nothing was read from the SSH target: " + blocks);
        assertTrue(blocks.getOrDefault(targetId("loc"), 0) >= 20, "every block came from the local target: " + blocks);
        assertTrue(seconds < 20, "the restore took " + seconds + " s");
    }

    @Test
    void aHostThatStopsAnsweringDuringARestoreIsLeftForTheNextCopyAtOnce() throws Exception {
        backupToTwoHostsAndEvict();
        long far = targetId("far");
        long far2 = targetId("far2");
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        CompletableFuture<Cli.Result> restore = CompletableFuture.supplyAsync(
                () -> Cli.run(repo, "restore", "latest", out.toString()));
        awaitBlockFrom(far); // the restore is reading from far, with more requests in flight there
        sshd.freezeAll();
        Cli.Result r = restore.get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), "falling over to another copy is not an error");
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(out));
        Map<Long, Integer> blocks = cachedBlocksByTarget();
        assertTrue(blocks.getOrDefault(far2, 0) > 0, "the rest came from far2: " + blocks);
        // Some twenty blocks were still to come: waiting 2 s for each, or SFTP's 60 s for any, would show.
        assertTrue(seconds < 20, "the restore took " + seconds + " s; blocks per target: " + blocks);
    }

    @Test
    void aMountReadsOnThroughAHostThatStopsAnswering() throws Exception {
        try {
            Preflight.fuse();
        } catch (FuseUnavailableException e) {
            Require.that(false, "FUSE unavailable: " + e.getMessage());
        }
        backupToTwoHostsAndEvict();
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        byte[] big = Files.readAllBytes(src.resolve("big.bin"));
        byte[] other = Files.readAllBytes(src.resolve("other.bin"));
        try (Repository r = Repository.open(repo); CairnFs fs = CairnFs.allSnapshots(r, System.err::println)) {
            FuseMount mount = FuseMount.start(fs, mnt, System.err::println);
            try {
                Path file = mnt.resolve("latest/big.bin");
                byte[] got = new byte[big.length];
                try (InputStream in = Files.newInputStream(file)) {
                    int first = in.readNBytes(got, 0, 8 << 20); // as dd would: connections to far are open
                    assertEquals(8 << 20, first);
                    sshd.freezeAll();
                    long t0 = System.nanoTime();
                    assertEquals(big.length - first, in.readNBytes(got, first, big.length - first));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    assertArrayEquals(big, got);
                    assertTrue(seconds < 20, "reading the rest took " + seconds + " s");
                }
                // A file not read yet: far is skipped now, not waited for again.
                long t1 = System.nanoTime();
                assertArrayEquals(other, Files.readAllBytes(mnt.resolve("latest/other.bin")));
                double seconds = (System.nanoTime() - t1) / 1e9;
                assertTrue(seconds < 10, "reading another file took " + seconds + " s");
                assertTrue(cachedBlocksByTarget().getOrDefault(targetId("far2"), 0) > 0);
            } finally {
                mount.close();
                MountPoints.release(mnt);
            }
        }
    }

    @Test
    void aPushToAHostThatStopsAnsweringFailsWithinTheBoundAndTheNextOneFinishes() throws Exception {
        Trees.writeRandom(src.resolve("more.bin"), 13, 120_000_000); // uploads long enough to freeze one
        Cli.backup(repo, src);
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        addSftpTarget(sshd, "far", remote);
        System.setProperty("cairn.ssh.stallMs", STALL_MS);
        CompletableFuture<Cli.Result> push = CompletableFuture.supplyAsync(() -> Cli.run(repo, "push"));
        // Once a first segment is in place, both uploading connections are open and more uploads are in
        // flight. (An opening under way when the host freezes is SftpStallTest's.)
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!push.isDone() && TargetFiles.segments(remote).isEmpty()) {
            assertTrue(System.nanoTime() < end, "no segment was placed within 60 s");
            Thread.sleep(1);
        }
        sshd.freezeAll();
        long t0 = System.nanoTime();
        Cli.Result r = push.get(180, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), "the push was to be stopped by the frozen host mid-upload: " + r);
        assertTrue(r.err().contains("no answer from root@127.0.0.1:" + sshd.port + " for 2 s while "), r.toString());
        // Each of the uploads in flight, the cleanup and the remote hashing used to wait out their own timeouts.
        assertTrue(seconds < 20, "the push took " + seconds + " s to give up");
        sshd.thawAll();
        Cli.expect(0, repo, "push");
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote));
        Cli.expect(0, repo, "check", "--read-data");
    }

    @Test
    void withNoOtherCopyTheReadFailsNamingTheSegmentAndTheHost() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        addSftpTarget(sshd, "far", remote);
        Cli.backup(repo, src);
        Cli.expect(0, repo, "evict");
        System.setProperty("cairn.ssh.stallMs", STALL_MS);
        Path out = tmp.resolve("out");
        CompletableFuture<Cli.Result> restore = CompletableFuture.supplyAsync(
                () -> Cli.run(repo, "restore", "latest", out.toString()));
        awaitBlockFrom(targetId("far"));
        long t0 = System.nanoTime();
        sshd.freezeAll();
        Cli.Result r = restore.get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().matches("(?s).*segment [0-9a-f]{32} cannot be read from any copy \\(target far: "
                + "(no answer from root@127\\.0\\.0\\.1:" + sshd.port + " for 2 s while (reading|opening) \\S+\\.seg"
                + "|cannot reach root@127\\.0\\.0\\.1:" + sshd.port + ": no answer for 2 s)\\).*"), r.toString());
        assertTrue(seconds < 20, "the restore took " + seconds + " s to fail");
    }
}
