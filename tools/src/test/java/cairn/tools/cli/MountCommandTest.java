package cairn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cairn.fs.fuse.FuseUnavailableException;
import cairn.fs.mount.MountTable;
import cairn.fs.mount.Preflight;
import cairn.fs.mount.Unmount;
import cairn.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn mount} as a user runs it: a process that mounts, serves, and leaves nothing behind. */
class MountCommandTest {
    @TempDir
    Path tmp;
    Path repo;
    Path mnt;

    @BeforeEach
    void setUp() throws Exception {
        requireFuse();
        repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("hello.txt"), "hello\n");
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        assertEquals(0, cairn("--repo", repo.toString(), "init").code);
        assertEquals(0, cairn("--repo", repo.toString(), "backup", src.toString()).code);
    }

    @Test
    void sigtermUnmountsCleanly() throws Exception {
        Process p = start("--repo", repo.toString(), "mount", mnt.toString());
        try {
            awaitMounted(p);
            assertEquals("hello\n", Files.readString(mnt.resolve("latest/hello.txt")));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "mount process did not exit after SIGTERM");
            assertFalse(MountTable.isMountPoint(mnt.toRealPath()), "stale mount left after SIGTERM");
        } finally {
            cleanUp(p);
        }
    }

    @Test
    void killedMountIsReportedAsStaleWithTheFix() throws Exception {
        Process p = start("--repo", repo.toString(), "mount", mnt.toString());
        try {
            awaitMounted(p);
            p.destroyForcibly(); // SIGKILL: no chance to unmount
            p.waitFor(20, TimeUnit.SECONDS);
            Result r = cairn("--repo", repo.toString(), "mount", mnt.toString());
            assertEquals(1, r.code);
            assertTrue(r.err.contains("fusermount -u " + mnt), r.err);
            assertEquals(0, cairn("umount", mnt.toString()).code, "umount clears a stale mount");
            assertFalse(MountTable.isMountPoint(mnt));
        } finally {
            cleanUp(p);
        }
    }

    @Test
    void daemonReturnsWhenReadyAndUmountEndsIt() throws Exception {
        Process p = start("--repo", repo.toString(), "mount", "--daemon", "--log", tmp.resolve("log").toString(),
                mnt.toString());
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertTrue(MountTable.isMountPoint(mnt.toRealPath()));
            assertEquals("hello\n", Files.readString(mnt.resolve("latest/hello.txt")));
            assertEquals(0, cairn("umount", mnt.toString()).code);
            assertFalse(MountTable.isMountPoint(mnt.toRealPath()));
        } finally {
            cleanUp(p);
        }
    }

    @Test
    void badMountPointsAndSnapshotsAreOneLineErrors() throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        for (String mp : List.of(tmp.resolve("missing").toString(), tmp.resolve("file").toString(),
                tmp.resolve("src").toString())) {
            Result r = cairn("--repo", repo.toString(), "mount", mp);
            assertEquals(1, r.code, r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
        }
        Result r = cairn("--repo", repo.toString(), "mount", "--snapshot", "ffffffff", mnt.toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("no snapshot"), r.err);
        assertEquals(1, cairn("umount", mnt.toString()).code, "not mounted");
        for (String[] bad : List.of(new String[] {"--cache-size", "10G"}, new String[] {"--cache-size", "0"},
                new String[] {"--daemon", "--log", tmp.toString()}, new String[] {"--log", tmp.resolve("l").toString()})) {
            List<String> args = new ArrayList<>(List.of("--repo", repo.toString(), "mount"));
            args.addAll(List.of(bad));
            args.add(mnt.toString());
            Result b = cairn(args.toArray(new String[0]));
            assertEquals(1, b.code, String.join(" ", bad) + ": " + b.err);
            assertEquals(1, b.err.strip().lines().count(), b.err);
            assertFalse(MountTable.isMountPoint(mnt.toRealPath()));
        }
    }

    @Test
    void umountLeavesOtherFileSystemsAloneAndFollowsASymlink() throws Exception {
        Assumptions.assumeTrue(cairn.store.fsutil.Posix.isRoot() || "1".equals(System.getenv("CAIRN_REQUIRE_ALL")),
                "mounting a tmpfs needs root");
        system("mount", "-t", "tmpfs", "-o", "size=1m", "cairn-test-tmpfs", mnt.toString());
        try {
            Result r = cairn("umount", mnt.toString());
            assertEquals(1, r.code, r.err);
            assertTrue(r.err.contains("tmpfs mount, not one of cairn's"), r.err);
            assertTrue(MountTable.isMountPoint(mnt.toRealPath()), "cairn umount took down a tmpfs");
        } finally {
            system("umount", mnt.toString());
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link"), mnt);
        Process p = start("--repo", repo.toString(), "mount", link.toString());
        try {
            awaitMounted(p);
            assertEquals(0, cairn("umount", link.toString()).code);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertFalse(MountTable.isMountPoint(mnt.toRealPath()));
        } finally {
            cleanUp(p);
        }
    }

    private static void system(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
    }

    private void awaitMounted(Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!MountTable.isMountPoint(mnt.toRealPath())) {
            if (!p.isAlive()) {
                fail("cairn mount exited with " + p.exitValue() + ": " + new String(p.getInputStream().readAllBytes()));
            }
            if (System.nanoTime() > end) {
                fail("not mounted within 30 s");
            }
            Thread.sleep(20);
        }
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "-Xmx256m", Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile()).start();
    }

    /** Whatever happened, leave no mount and no process behind. */
    private void cleanUp(Process p) throws Exception {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20 && MountTable.isMountPoint(mnt); i++) {
            Unmount.run(mnt, i > 5);
            Thread.sleep(100);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static void requireFuse() {
        try {
            Preflight.fuse();
        } catch (FuseUnavailableException e) {
            if ("1".equals(System.getenv("CAIRN_REQUIRE_ALL"))) {
                fail("FUSE is required (CAIRN_REQUIRE_ALL=1) but unavailable: " + e.getMessage());
            }
            Assumptions.abort("FUSE unavailable, skipping: " + e.getMessage());
        }
    }
}
