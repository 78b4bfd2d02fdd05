package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.fs.fuse.Attr;
import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FsException;
import cairn.fs.view.CairnFs;
import cairn.store.catalog.Snapshot;
import cairn.store.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view without FUSE: attributes, lookups, paged listings. */
class CairnFsTest {
    @TempDir
    Path tmp;

    @Test
    void listsLargeDirectoriesInPagesAndLooksUpDirectly() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 1500; i++) {
            TestRepos.write(src.resolve("d/f" + i), new byte[] {(byte) i});
        }
        Path repoDir = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repoDir, src);
        try (Repository repo = Repository.open(repoDir); CairnFs fs = CairnFs.oneSnapshot(repo, s, l -> { })) {
            Attr root = fs.getattr(b("/"));
            assertEquals(0040000, root.mode() & 0170000, Integer.toOctalString(root.mode()));
            assertEquals(1, fs.getattr(b("/d/f7")).size());
            FsException e = assertThrows(FsException.class, () -> fs.getattr(b("/d/nope")));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals(Errno.ENOTDIR, assertThrows(FsException.class, () -> fs.getattr(b("/d/f7/x"))).errno());

            long h = fs.opendir(b("/d"));
            List<String> names = new ArrayList<>();
            long[] next = {0};
            int calls = 0;
            boolean more = true;
            while (more) {
                int before = names.size();
                // A small buffer, like the kernel's: at most 100 entries per call.
                fs.readdir(h, next[0], (name, ino, mode, nx) -> {
                    if (names.size() - before >= 100) {
                        return false;
                    }
                    names.add(new String(name, StandardCharsets.UTF_8));
                    next[0] = nx;
                    return true;
                });
                more = names.size() > before;
                calls++;
            }
            fs.releasedir(h);
            assertEquals(1502, names.size());
            assertTrue(calls >= 16);
            assertEquals(1502, names.stream().distinct().count());
            assertEquals(0, fs.openHandles());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
