package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who is not root restores their own files: read-only directories come back read-only, and a
 * second restore over the first still works, although what the first left is read-only.
 */
class UnprivilegedRestoreTest {
    @TempDir
    Path tmp;

    @Test
    void readOnlyDirectoriesComeBackAndCanBeRestoredOverAgain() throws Exception {
        AsNobody nobody = new AsNobody(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("ro/deeper"));
        Files.writeString(src.resolve("top.txt"), "top\n");
        Files.writeString(src.resolve("ro/f.txt"), "read only\n");
        Files.writeString(src.resolve("ro/deeper/g.txt"), "deeper\n");
        Proc.sh(src, "chmod 0444 ro/f.txt && chmod 0500 ro/deeper && chmod 0555 ro");
        Proc.sh(tmp, "chown -R " + AsNobody.UID + ":" + AsNobody.UID + " src && mkdir repo dst && chown "
                + AsNobody.UID + ":" + AsNobody.UID + " repo dst");
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        String repo = tmp.resolve("repo").toString();
        Path dst = tmp.resolve("dst");

        assertEquals(0, nobody.cairn(logs, "--repo", repo, "init").code());
        Proc.Output backup = nobody.cairn(logs, "--repo", repo, "backup", src.toString());
        assertEquals(0, backup.code(), backup.toString());
        for (int round = 1; round <= 2; round++) {
            Proc.Output o = nobody.cairn(logs, "--repo", repo, "restore", "latest", dst.toString());
            assertEquals(0, o.code(), "restore " + round + ": " + o);
            Proc.Output v = nobody.cairn(logs, "--repo", repo, "verify", "latest", dst.toString());
            assertEquals(0, v.code(), "verify after restore " + round + ": " + v);
            assertEquals("r-xr-xr-x", mode(dst.resolve("ro")));
            assertEquals("r-x------", mode(dst.resolve("ro/deeper")));
            assertEquals("r--r--r--", mode(dst.resolve("ro/f.txt")));
            assertEquals("deeper\n", Files.readString(dst.resolve("ro/deeper/g.txt")));
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
