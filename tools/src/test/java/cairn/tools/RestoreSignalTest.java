package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM or SIGINT during an image restore, a sync or a tree restore: cairn removes the temporary files
 * it was writing (and only those), never renames one into place once the signal came, says "cairn:
 * stopped by a signal" and exits with the signal's status. A sync into an existing target leaves it as a
 * failed sync does, at its old size, and says to run it again.
 */
class RestoreSignalTest {
    /** Random, so nothing is a hole: a restore of it takes long enough to be caught mid-way. */
    private static final long IMAGE_BYTES = 256 * MIB;

    @TempDir
    Path tmp;
    Path repo;
    Path logs;

    @BeforeEach
    void init() throws Exception {
        repo = tmp.resolve("repo");
        logs = Files.createDirectories(tmp.resolve("logs"));
        Cli.expect(0, repo, "init");
    }

    private String imageSnapshot() throws Exception {
        return Cli.backupImage(repo, Trees.writeRandom(tmp.resolve("disk.img"), 71, IMAGE_BYTES), "--compression", "1");
    }

    @Test
    void sigtermDuringAnImageRestoreRemovesItsTemporaryFileAndKeepsTheOldOne() throws Exception {
        String id = imageSnapshot();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path old = Files.writeString(out.resolve("x.img"), "the old image");
        // Another file that looks like a leftover of another target: a signal removes only its own.
        Path other = Files.writeString(out.resolve(".y.img.cairn-restore-0123456789abcdef"), "not ours");
        Process p = start("restore", id, old.toString());
        stopWhen(p, "TERM", () -> has(out, ".x.img.cairn-restore-"));
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertStopped(143, o);
        assertEquals("the old image", Files.readString(old));
        assertEquals(List.of(other, old), list(out), "the temporary file was left");
    }

    @Test
    void sigintDuringAnImageRestoreToANewFileLeavesNothing() throws Exception {
        String id = imageSnapshot();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process p = start("restore", id, out.resolve("x.img").toString());
        // A shell starting a job in the background makes it ignore SIGINT, and the JVM keeps that.
        Require.that(!ignoresSigint(p), "SIGINT is ignored by processes started here");
        stopWhen(p, "INT", () -> has(out, ".x.img.cairn-restore-"));
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertStopped(130, o);
        assertEquals(List.of(), list(out), "the temporary file was left, or the image renamed into place");
    }

    @Test
    void sigtermDuringASyncToANewTargetLeavesNothing() throws Exception {
        String id = imageSnapshot();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process p = start("sync", id, out.resolve("n.img").toString());
        stopWhen(p, "TERM", () -> has(out, ".n.img.cairn-sync-"));
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertStopped(143, o);
        assertEquals(List.of(), list(out), "the temporary file was left, or the copy renamed into place");
    }

    /**
     * An existing target is written in place: a signal leaves it part old, part new, at its old size
     * (blocks past its old end were written, and are cut again), and says so. Running the sync again
     * finishes it.
     */
    @Test
    void sigtermDuringASyncIntoAnExistingTargetLeavesItPartlyWrittenAndSaysSo() throws Exception {
        String id = imageSnapshot();
        Path target = Trees.writeRandom(tmp.resolve("out/e.img"), 72, IMAGE_BYTES / 2);
        byte[] firstBlock = firstMiB(target);
        Process p = start("sync", id, target.toString());
        stopWhen(p, "TERM", () -> !Arrays.equals(firstBlock, firstMiB(target)));
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertEquals(143, o.code(), o.toString());
        List<String> err = Cli.lines(o.err());
        assertEquals(1, err.size(), o.toString());
        assertTrue(err.get(0).matches("cairn: stopped by a signal; \\d+ blocks? (was|were) already written to "
                + java.util.regex.Pattern.quote(target.toString()) + ": run the sync again to finish it"), o.toString());
        assertEquals(IMAGE_BYTES / 2, Files.size(target), "the target's size was not put back");
        assertEquals(List.of(target), list(target.getParent()), "a temporary file was left");
        Cli.expect(0, repo, "sync", id, target.toString());
        Cli.expect(0, repo, "verify", id, target.toString());
    }

    /** A tree restore: only whole files have their names, and no temporary file is left anywhere. */
    @Test
    void sigtermDuringATreeRestoreRemovesItsTemporaryFiles() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 6; i++) {
            Trees.writeRandom(src.resolve("part" + i + ".bin"), 80 + i, 30 * MIB);
        }
        for (int i = 0; i < 50; i++) {
            Files.writeString(Files.createDirectories(src.resolve("sub")).resolve("small" + i), "small " + i);
        }
        String id = Cli.backup(repo, src, "--compression", "1");
        Path dst = tmp.resolve("dst");
        Process p = start("restore", id, dst.toString());
        stopWhen(p, "TERM", () -> has(dst, ".cairn-restore-"));
        Proc.Output o = Proc.waitFor(p, logs, 60);
        assertStopped(143, o);
        Map<String, String> want = Trees.fingerprint(src);
        for (Map.Entry<String, String> e : Trees.fingerprint(dst).entrySet()) {
            assertFalse(e.getKey().contains(".cairn-restore-"), "a temporary file was left: " + e.getKey());
            if (!e.getKey().endsWith("/")) {
                assertEquals(want.get(e.getKey()), e.getValue(), e.getKey() + " has its name but is not whole");
            }
        }
        Cli.expect(0, repo, "restore", id, dst.toString());
        Cli.expect(0, repo, "verify", id, dst.toString());
    }

    private Process start(String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "--repo";
        all[1] = repo.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Proc.startCairn(logs, List.of(), null, all);
    }

    /** Sends SIG{@code signal} as soon as {@code ready} holds (the command is writing), polled every 2 ms. */
    private void stopWhen(Process p, String signal, BooleanSupplier ready) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline && !ready.getAsBoolean()) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the command ended before the signal: " + Files.readString(logs.resolve("stderr")));
        assertTrue(ready.getAsBoolean(), "the command did not start writing in time");
        Proc.sh(tmp, "kill -" + signal + " " + p.pid());
    }

    private static void assertStopped(int expectedExit, Proc.Output o) {
        assertEquals(expectedExit, o.code(), o.toString());
        assertEquals(List.of("cairn: stopped by a signal"), Cli.lines(o.err()), o.toString());
    }

    /** Whether {@code dir} holds a name starting with {@code prefix}, anywhere below it. */
    private static boolean has(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // a file renamed or removed during the walk: look again
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static byte[] firstMiB(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) MIB];
            f.readFully(b);
            return b;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean ignoresSigint(Process p) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
