package cairn.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mounted snapshot shows the source as it was: names, contents, metadata, links, special files. */
class BrowseIT {
    private static final byte[] NOT_UTF8 = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '.', 't', 'x', 't'};

    @TempDir
    static Path tmp;
    static Path source;
    static Path repo;
    static Snapshot first;

    @BeforeAll
    static void makeRepo() throws Exception {
        FuseTests.requireFuse();
        source = tmp.resolve("src");
        TestRepos.write(source.resolve("a/small.txt"), "hello\n".getBytes(StandardCharsets.UTF_8));
        TestRepos.write(source.resolve("a/b/big.bin"), TestRepos.random(3 << 20, 1));
        TestRepos.write(source.resolve("empty-file"), new byte[0]);
        Files.createDirectories(source.resolve("empty-dir"));
        Files.createSymbolicLink(source.resolve("link"), Path.of("a/small.txt"));
        Files.createSymbolicLink(source.resolve("dangling"), Path.of("../nowhere"));
        Files.createLink(source.resolve("a/hard2"), source.resolve("a/small.txt"));
        Posix.mknod(RawPaths.bytes(source.resolve("fifo")), 0010644, 0);
        Files.write(RawPaths.resolve(source, NOT_UTF8), "raw name".getBytes(StandardCharsets.UTF_8));
        Path owned = source.resolve("owned");
        Files.write(owned, new byte[] {1, 2, 3});
        Posix.lchown(RawPaths.bytes(owned), 1234, 5678);
        Posix.chmod(RawPaths.bytes(owned), 04751);
        Files.setLastModifiedTime(owned, FileTime.from(java.time.Instant.parse("2001-02-03T04:05:06.789123456Z")));
        Files.setLastModifiedTime(source.resolve("a"), FileTime.fromMillis(1_000_000_000_000L));
        repo = TestRepos.init(tmp.resolve("repo"));
        first = TestRepos.backup(repo, source);
    }

    @Test
    void allSnapshotsViewShowsTheTreeAsItWas() throws Exception {
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt-all"), null)) {
            List<String> root = names(m.dir);
            assertTrue(root.contains(first.name()) && root.contains("latest"), root.toString());
            assertEquals(first.name(), Files.readSymbolicLink(m.dir.resolve("latest")).toString());
            FileTime t = Files.getLastModifiedTime(m.dir.resolve(first.name()));
            assertEquals(first.finishedNs(), t.to(java.util.concurrent.TimeUnit.NANOSECONDS));
            compareTrees(source, m.dir.resolve(first.name()), false);
            assertHardLinksShareInode(m.dir.resolve("latest/"));
            assertTrue(m.log.isEmpty(), m.log.toString());
        }
    }

    @Test
    void oneSnapshotViewShowsItAtTheRoot() throws Exception {
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt-one"), first.name())) {
            compareTrees(source, m.dir, true);
        }
    }

    @Test
    void snapshotsTakenWhileMountedAppear() throws Exception {
        Path src2 = tmp.resolve("src2");
        TestRepos.write(src2.resolve("x"), new byte[] {42});
        try (Mounted m = Mounted.mount(repo, tmp.resolve("mnt-new"), null)) {
            int before = names(m.dir).size();
            Snapshot second = TestRepos.backup(repo, src2);
            List<String> after = names(m.dir);
            assertEquals(before + 1, after.size(), after.toString());
            assertTrue(after.contains(second.name()));
            assertEquals(second.name(), Files.readSymbolicLink(m.dir.resolve("latest")).toString());
            assertArrayEquals(new byte[] {42}, Files.readAllBytes(m.dir.resolve(second.name()).resolve("x")));
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every entry under {@code src} exists under {@code mnt} with the same bytes and metadata, and no more. */
    private static void compareTrees(Path src, Path mnt, boolean compareRoot) throws Exception {
        Map<String, Path> a = walk(src);
        Map<String, Path> b = walk(mnt);
        assertEquals(a.keySet(), b.keySet());
        for (String rel : a.keySet()) {
            Path x = a.get(rel);
            Path y = b.get(rel);
            if (rel.isEmpty() && !compareRoot) {
                continue;
            }
            Map<String, Object> ax = Files.readAttributes(x, "unix:mode,uid,gid,size,lastModifiedTime,nlink,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> ay = Files.readAttributes(y, "unix:mode,uid,gid,size,lastModifiedTime,nlink,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            boolean dir = Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS);
            for (String k : List.of("mode", "uid", "gid", "lastModifiedTime", "rdev")) {
                assertEquals(ax.get(k), ay.get(k), k + " of " + rel);
            }
            if (!dir) {
                assertEquals(ax.get("size"), ay.get("size"), "size of " + rel);
                assertEquals(ax.get("nlink"), ay.get("nlink"), "nlink of " + rel);
            }
            if (Files.isSymbolicLink(x)) {
                assertArrayEquals(RawPaths.bytes(Files.readSymbolicLink(x)), RawPaths.bytes(Files.readSymbolicLink(y)));
            } else if (Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)) {
                assertArrayEquals(Files.readAllBytes(x), Files.readAllBytes(y), "content of " + rel);
            }
        }
    }

    /** Relative raw paths (as ISO-8859-1 strings, byte-exact) → paths. */
    private static Map<String, Path> walk(Path root) throws Exception {
        Map<String, Path> out = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            out.put(new String(RawPaths.bytes(root.relativize(p)), StandardCharsets.ISO_8859_1), p);
        }
        assertTrue(out.containsKey(new String(NOT_UTF8, StandardCharsets.ISO_8859_1)), out.keySet().toString());
        return out;
    }

    private static void assertHardLinksShareInode(Path mnt) throws Exception {
        Object i1 = Files.getAttribute(mnt.resolve("a/small.txt"), "unix:ino");
        Object i2 = Files.getAttribute(mnt.resolve("a/hard2"), "unix:ino");
        Object i3 = Files.getAttribute(mnt.resolve("a/b/big.bin"), "unix:ino");
        assertEquals(i1, i2);
        assertNotEquals(i1, i3);
        assertEquals(2, Files.getAttribute(mnt.resolve("a/hard2"), "unix:nlink"));
    }
}
