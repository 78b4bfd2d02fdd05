package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.fs.mount.MountTable;
import cairn.fs.mount.Unmount;
import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.RawPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mount point whose name is not valid UTF-8 is mounted and unmounted by its bytes: fusermount is
 * given a name it can be reached by, since a Java string cannot carry such a byte to a command.
 */
class RawMountPointIT {
    @TempDir
    Path tmp;

    @Test
    void aMountPointNamedWithALatin1ByteUnmounts() throws Exception {
        Path src = tmp.resolve("src");
        TestRepos.write(src.resolve("f"), new byte[] {7});
        Path repo = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repo, src);
        Path mnt = RawPaths.resolve(tmp, new byte[] {'m', 'n', 't', (byte) 0xe9});
        try (Mounted m = Mounted.mount(repo, mnt, null)) {
            assertEquals(7, Files.readAllBytes(m.dir.resolve(s.name()).resolve("f"))[0]);
            assertTrue(Unmount.run(m.dir, false), "fusermount -u did not find the mount");
            assertTrue(Unmount.awaitGone(m.dir, 10_000));
            assertFalse(MountTable.isMountPoint(mnt));
        }
    }
}
