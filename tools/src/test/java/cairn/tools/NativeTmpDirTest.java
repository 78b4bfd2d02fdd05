package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A temporary directory on a noexec mount, where the native libraries could not be mapped. */
class NativeTmpDirTest {
    @TempDir
    Path tmp;

    @Test
    void commandsWorkWhenTheTemporaryDirectoryForbidsExecutables() throws Exception {
        Require.that(Require.isRoot(), "mounting a noexec tmpfs needs root");
        Path noexec = Files.createDirectory(tmp.resolve("noexec"));
        Path home = Files.createDirectory(tmp.resolve("home"));
        Path source = Files.createDirectory(tmp.resolve("source"));
        Trees.writeRandom(source.resolve("data"), 1, 3 << 20);
        Proc.sh(tmp, "mount -t tmpfs -o noexec,size=16m tmpfs noexec");
        try {
            assertFalse(NativeTmpDir.allowsExecutables(noexec));
            assertTrue(NativeTmpDir.allowsExecutables(tmp));
            List<String> env = List.of("env", "-u", "XDG_CACHE_HOME", "HOME=" + home,
                    "JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=" + noexec);
            Path repo = tmp.resolve("repo");
            // SQLite (init), then zstd and jffi (backup) each unpack and load a shared object.
            Proc.Output init = Proc.run(tmp, Proc.cairnCommand(env, null, "--repo", repo.toString(), "init"));
            assertEquals(0, init.code(), init.err());
            Proc.Output backup = Proc.run(tmp, Proc.cairnCommand(env, null, "--repo", repo.toString(), "backup",
                    source.toString()));
            assertEquals(0, backup.code(), backup.err());
            assertTrue(Files.isDirectory(home.resolve(".cache/cairn/tmp")), "the libraries went to the user's cache");
        } finally {
            Proc.sh(tmp, "umount noexec");
        }
    }
}
