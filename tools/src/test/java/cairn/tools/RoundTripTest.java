package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup → verify → restore through the command line, then compare {@code stat} of every source entry
 * with its restored twin: type, permission bits (set-id and sticky too), owner, size, mtime to the
 * nanosecond, device numbers, link count, symlink target, and names that are not UTF-8.
 */
class RoundTripTest {
    /** One line per entry: what must survive a round trip. Directory sizes depend on the file system. */
    private static final String STAT = "%n|%F|%a|%u|%g|%s|%y|%t:%T|%h|%N";

    @TempDir
    Path tmp;

    @Test
    void everyKindOfEntryAndItsMetadataSurvive() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.writeRandom(src.resolve("multi-chunk.bin"), 1, 9 << 20); // > 2 x the 4 MiB maximum chunk
        Files.write(src.resolve("small.txt"), "hello\n".getBytes());
        Files.createFile(src.resolve("empty"));
        Files.createDirectories(src.resolve("empty-dir"));
        Files.createDirectories(src.resolve("setgid-dir/inner"));
        Files.write(src.resolve("setgid-dir/inner/f"), "in setgid\n".getBytes());
        Files.createDirectories(src.resolve("sticky"));
        Files.createDirectories(src.resolve("read-only-dir"));
        Files.write(src.resolve("read-only-dir/kept"), "a file in a 0555 directory\n".getBytes());
        Files.createDirectories(src.resolve("sub"));
        Files.write(src.resolve("hard1"), "two names, one inode\n".getBytes());
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(src.resolve("sock")));
        }
        Proc.sh(src, String.join("\n",
                "set -e",
                "ln hard1 sub/hard2",
                "ln -s small.txt link-rel",
                "ln -s does/not/exist dangling",
                "ln -s /etc/hostname link-abs",
                "ln -s sub link-to-dir",
                "ln -s \"$(printf 'x\\377y')\" link-raw-target",
                "printf 'not utf-8\\n' > \"$(printf 'a\\377b')\"",
                "printf 'unicode name\\n' > \"$(printf 'sp\\303\\244ce \\303\\274.txt')\"",
                "mkfifo -m 0640 fifo",
                "chmod 0600 small.txt",
                "chmod 0755 multi-chunk.bin",
                "chmod 4755 hard1",
                "chmod 0444 empty",
                "chmod 2775 setgid-dir",
                "chmod 1777 sticky",
                "chmod 0555 read-only-dir",
                // Times last, contents before their directories, each with its own nanoseconds.
                "find . -mindepth 1 -depth -exec sh -c"
                        + " 'n=100; for p do n=$((n+1)); touch -h -d \"@1577934245.${n}456789\" \"$p\"; done' sh {} +",
                "touch -h -d '@1577934245.123456789' \"$(printf 'a\\377b')\" .",
                "touch -h -d '@1600000000.000000001' link-rel"));
        Map<String, String> before = stat(src);
        assertTrue(before.get("./small.txt").contains("456789 "),
                "the source needs nanosecond mtimes for this test to mean anything: " + before.get("./small.txt"));
        assertTrue(before.containsKey("./a\u00ffb"), "the invalid UTF-8 name was not created: " + before.keySet());

        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, src);
        Cli.Result v = Cli.expect(0, repo, "verify", id, src.toString());
        assertTrue(v.out().contains("matches"), v.toString());

        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        Map<String, String> after = stat(dst);
        assertEquals(before, after, "stat of the restored tree differs from the source");
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(dst));
        // The restored tree must itself verify against the snapshot.
        Cli.expect(0, repo, "verify", id, dst.toString());

        String inode1 = Proc.sh(dst, "stat -c %i hard1").trim();
        assertEquals(inode1, Proc.sh(dst, "stat -c %i sub/hard2").trim(), "hard links restored as separate files");
        assertNotEquals(inode1, Proc.sh(dst, "stat -c %i small.txt").trim());
        assertEquals("x\u00ffy", Proc.sh(dst, "readlink link-raw-target").trim());
        assertTrue(Cli.expect(0, repo, "ls", id).out().contains("a\\xffb"),
                "ls must show the invalid byte as \\xff");
        assertEquals(List.of(), Proc.sh(dst, "find . -name '.cairn-restore-*'").lines().toList(),
                "temporary restore files left behind");
    }

    @Test
    void ownersAndDeviceNodesSurviveWhenRoot() throws Exception {
        Require.that(Require.isRoot(), "chown to other users and mknod need root");
        Require.that(Require.hasCommand("mknod"), "mknod(1) is not installed");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Proc.sh(src, String.join("\n",
                "set -e",
                "mknod null c 1 3",
                "mknod loop7 b 7 7",
                "chmod 0620 null",
                "mkdir owned-dir",
                "echo owned > owned-dir/file",
                "ln -s file owned-dir/link",
                "chown 1234:5678 owned-dir owned-dir/file null",
                "chown -h 4321:8765 owned-dir/link",
                "chown 1234:5678 .",
                "touch -h -d '@1500000000.987654321' owned-dir/file owned-dir/link owned-dir null loop7 ."));
        Map<String, String> before = stat(src);
        assertTrue(before.get("./null").contains("|1234|5678|"), before.get("./null"));

        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, src);
        Cli.expect(0, repo, "verify", id, src.toString());
        assertTrue(Cli.expect(0, repo, "ls", id).out().lines().anyMatch(l -> l.startsWith("c") && l.contains("1, 3")),
                "ls must show the char device's major, minor");
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        assertEquals(before, stat(dst));
    }

    @Test
    void zerosAreRestoredAsHoles() throws Exception {
        Path probe = tmp.resolve("probe");
        Proc.sh(tmp, "truncate -s 64M probe");
        Require.that(Long.parseLong(Proc.sh(tmp, "stat -c %b probe").trim()) < 1024,
                "the temporary directory's file system does not keep holes");
        Files.delete(probe);

        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = Trees.random(7, 1 << 20);
        Path middle = src.resolve("zeros-in-the-middle");
        Path tail = src.resolve("zeros-at-the-end");
        try (var out = Files.newOutputStream(middle)) {
            out.write(data);
            out.write(new byte[32 << 20]); // written out: the source is fully allocated
            out.write(data, 0, 12345);
        }
        try (var out = Files.newOutputStream(tail)) {
            out.write(data, 0, 100_000);
            out.write(new byte[8 << 20]);
        }
        assertTrue(blocks(middle) * 512 >= 32 << 20, "source should be fully allocated");

        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, src);
        Path dst = tmp.resolve("dst");
        Cli.expect(0, repo, "restore", id, dst.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(dst));
        assertEquals(Files.size(middle), Files.size(dst.resolve("zeros-in-the-middle")));
        assertEquals(Files.size(tail), Files.size(dst.resolve("zeros-at-the-end")));
        long m = blocks(dst.resolve("zeros-in-the-middle")) * 512;
        long t = blocks(dst.resolve("zeros-at-the-end")) * 512;
        assertTrue(m < (4 << 20), "32 MiB of zeros were written out, not left as a hole: " + m + " bytes allocated");
        assertTrue(t < (1 << 20), "trailing zeros were written out: " + t + " bytes allocated");
    }

    @Test
    void onePathRestoresIntoAnExistingDirectory() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/docs"));
        Files.write(src.resolve("report.txt"), "quarterly\n".getBytes());
        Files.write(src.resolve("other.txt"), "other\n".getBytes());
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        String id = Cli.backup(repo, tmp.resolve("src"));
        Path into = Files.createDirectories(tmp.resolve("into"));
        Cli.expect(0, repo, "restore", id + ":docs/report.txt", into.toString());
        assertEquals("quarterly\n", Files.readString(into.resolve("report.txt")));
        assertEquals(List.of(into.resolve("report.txt")), Files.list(into).toList());

        Cli.expect(0, repo, "restore", "latest:docs", tmp.resolve("docs-again").toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("docs-again")));
    }

    private static long blocks(Path p) {
        return Long.parseLong(Proc.sh(p.getParent(), "stat -c %b '" + p.getFileName() + "'").trim());
    }

    /** stat of every entry under {@code dir} (and of dir itself as "."), keyed by relative name. */
    static Map<String, String> stat(Path dir) {
        String out = Proc.sh(dir, "find . -exec stat -c '" + STAT + "' {} +");
        Map<String, String> m = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f[1].equals("directory")) {
                f[5] = "-";
            }
            m.put(f[0], String.join("|", f));
        }
        return m;
    }
}
