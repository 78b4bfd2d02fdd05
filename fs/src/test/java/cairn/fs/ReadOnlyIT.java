package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cairn.fs.fuse.Errno;
import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.RawPaths;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of change fails with EROFS, checked through the system calls themselves. */
class ReadOnlyIT {
    public interface LibC {
        int open(byte[] path, int flags, int mode);

        int close(int fd);

        int mkdir(byte[] path, int mode);

        int chmod(byte[] path, int mode);

        int unlink(byte[] path);

        int rmdir(byte[] path);

        int rename(byte[] from, byte[] to);

        int symlink(byte[] target, byte[] path);

        int truncate(byte[] path, long length);
    }

    private static final LibC C = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RT = Runtime.getRuntime(C);
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;

    @TempDir
    Path tmp;

    @Test
    void writesFailWithErofs() throws Exception {
        Path src = tmp.resolve("src");
        TestRepos.write(src.resolve("d/f"), new byte[] {1});
        Path repo = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repo, src);
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt"), null)) {
            Path d = m.dir.resolve(s.name()).resolve("d");
            byte[] f = c(d.resolve("f"));
            assertErofs(C.open(f, O_WRONLY, 0), "open for writing");
            assertErofs(C.open(f, O_RDWR, 0), "open read-write");
            assertErofs(C.open(c(d.resolve("new")), O_WRONLY | O_CREAT, 0644), "create");
            assertErofs(C.mkdir(c(d.resolve("sub")), 0755), "mkdir");
            assertErofs(C.chmod(f, 0600), "chmod");
            assertErofs(C.unlink(f), "unlink");
            assertErofs(C.rmdir(c(d)), "rmdir");
            assertErofs(C.rename(f, c(d.resolve("g"))), "rename");
            assertErofs(C.symlink(c(Path.of("x")), c(d.resolve("l"))), "symlink");
            assertErofs(C.truncate(f, 0), "truncate");
            assertErofs(C.mkdir(c(m.dir.resolve("newsnap")), 0755), "mkdir at the root");
        }
    }

    private static void assertErofs(int rc, String what) {
        int errno = RT.getLastError();
        assertEquals(-1, rc, what + " succeeded");
        assertEquals(Errno.EROFS, errno, what + ": errno " + errno);
    }

    private static byte[] c(Path p) {
        byte[] b = RawPaths.bytes(p);
        return Arrays.copyOf(b, b.length + 1);
    }
}
