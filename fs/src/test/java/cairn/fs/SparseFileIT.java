package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.Snapshot;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse file in the mount says how little it holds (st_blocks), so {@code du} is right and {@code cp}
 * makes a sparse copy instead of writing every zero.
 */
class SparseFileIT {
    private static final long SIZE = 200L << 20;

    @TempDir
    Path tmp;

    @Test
    void aSparseFileReportsItsDataAndCopiesSparse() throws Exception {
        Path src = tmp.resolve("src");
        TestRepos.write(src.resolve("disk.raw"), TestRepos.random(1 << 20, 1));
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("disk.raw").toFile(), "rw")) {
            f.seek(100L << 20);
            f.write(TestRepos.random(1 << 20, 2));
            f.setLength(SIZE);
        }
        Path repo = TestRepos.init(tmp.resolve("repo"));
        Snapshot s = TestRepos.backup(repo, src);
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt"), null)) {
            Path inMount = m.dir.resolve(s.name()).resolve("disk.raw");
            String[] stat = sh("stat -c '%s %b' " + inMount).trim().split(" ");
            assertEquals(SIZE, Long.parseLong(stat[0]));
            long allocated = Long.parseLong(stat[1]) * 512;
            assertTrue(allocated <= 3L << 20, "st_blocks say " + allocated + " bytes of a file holding 2 MiB");

            Path copy = tmp.resolve("copy.raw");
            sh("cp " + inMount + " " + copy + " && cmp " + copy + " " + src.resolve("disk.raw"));
            long copyAllocated = Long.parseLong(sh("stat -c %b " + copy).trim()) * 512;
            assertTrue(copyAllocated <= 8L << 20, "cp wrote " + copyAllocated + " bytes: the copy is not sparse");
        }
    }

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder(List.of("sh", "-c", script)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), script + ": " + out);
        return out;
    }
}
