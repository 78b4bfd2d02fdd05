package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.fsutil.DirectoryCalls;
import cairn.store.fsutil.UnixCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree ten thousand directories deep: backup, restore and verify each recurse once per level, which
 * on a JVM thread's default stack (or the tests' 4 MiB) ends a few thousand levels down with a
 * StackOverflowError.
 */
class DeepTreeTest {
    private static final int LEVELS = 10_000;

    @TempDir
    Path tmp;

    @AfterEach
    void removeDeepTrees() {
        // JUnit deletes by whole path, which cannot reach this far; rm goes from directory to directory.
        Proc.sh(tmp, "rm -rf src dst");
    }

    @Test
    void aTreeTenThousandLevelsDeepComesBackWhole() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        makeChain(src, LEVELS);
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        Cli.Result backup = Cli.expect(0, repo, "backup", src.toString());
        assertTrue(backup.out().contains("(complete): 1 files, " + (LEVELS + 1) + " dirs"), backup.out());
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", "latest", dst.toString());
        Cli.expect(0, repo, "verify", "latest", dst.toString());
        Cli.expect(0, repo, "check");
    }

    /** {@code levels} directories "d" one in another under {@code top}, and a file at the bottom. */
    private static void makeChain(Path top, int levels) throws Exception {
        int dir = UnixCalls.open(top, UnixCalls.O_RDONLY | UnixCalls.O_CLOEXEC);
        byte[] d = {'d'};
        for (int i = 0; i < levels; i++) {
            DirectoryCalls.mkdir(dir, d, 0755, top);
            int next = UnixCalls.openAt(dir, d, UnixCalls.O_RDONLY | UnixCalls.O_CLOEXEC, top);
            UnixCalls.close(dir);
            dir = next;
        }
        int f = UnixCalls.openAt(dir, new byte[] {'f'}, UnixCalls.O_WRONLY | UnixCalls.O_CREAT | UnixCalls.O_EXCL, 0644, top);
        UnixCalls.close(f);
        UnixCalls.close(dir);
    }
}
