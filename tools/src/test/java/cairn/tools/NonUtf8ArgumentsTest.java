package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.fsutil.RawPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths given on the command line that are not valid UTF-8 (a Latin-1 name from an old system) name
 * exactly those bytes: the JVM alone would decode them to U+FFFD and look elsewhere. The arguments are
 * made by the shell's printf, as a user's shell would pass them, to a cairn JVM of its own.
 */
class NonUtf8ArgumentsTest {
    @TempDir
    Path tmp;

    /** Runs cairn in a shell; {@code args} is shell text, so it may use $(printf ...). */
    private Proc.Output cairn(String args) {
        return cairnWithEnv("", args);
    }

    /** As above, with {@code env} (shell text: NAME=value ...) in cairn's environment. */
    private Proc.Output cairnWithEnv(String env, String args) {
        String java = Proc.cairnCommand(List.of(), null).stream().map(NonUtf8ArgumentsTest::quote)
                .collect(Collectors.joining(" "));
        return Proc.run(tmp, List.of("sh", "-c", "exec env " + env + " " + java + " " + args));
    }

    @Test
    void repositoryAndHomeFromTheEnvironmentKeepTheirBytes() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(tmp.resolve("src/a.txt"), "a\n");
        // A repository whose own path is not UTF-8: SQLite opens its catalog by a name that is a string.
        String repo = "CAIRN_REPO=\"$PWD/$(printf 'repo\\351')\"";
        assertEquals(0, cairnWithEnv(repo, "init").code());
        assertEquals(0, cairnWithEnv(repo, "backup src").code());
        Proc.Output restored = cairnWithEnv(repo, "restore latest out");
        assertEquals(0, restored.code(), restored.toString());
        assertEquals("a\n", Files.readString(tmp.resolve("out/a.txt")));
        assertEquals(0, cairnWithEnv(repo, "check").code());
        assertTrue(Files.isRegularFile(RawPaths.resolve(tmp, new byte[] {'r', 'e', 'p', 'o', (byte) 0xe9})
                .resolve("catalog.db")));

        // No --repo and no $CAIRN_REPO: the default repository under $HOME.
        Proc.Output backup = cairnWithEnv("HOME=\"$PWD/$(printf 'home\\351')\" XDG_DATA_HOME=", "backup src");
        assertEquals(0, backup.code(), backup.toString());
        Path home = RawPaths.resolve(tmp, new byte[] {'h', 'o', 'm', 'e', (byte) 0xe9});
        assertTrue(Files.isRegularFile(home.resolve(".local/share/cairn/catalog.db")), "no repository under " + home);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void sourceTargetAndSnapshotPathsKeepTheirBytes() throws Exception {
        byte[] cafe = {'c', 'a', 'f', (byte) 0xe9};
        Path dir = Files.createDirectories(RawPaths.resolve(tmp.resolve("src"), cafe));
        Files.writeString(dir.resolve("menu.txt"), "soupe\n");
        String repo = quote(tmp.resolve("repo").toString());

        Proc.Output init = cairn("--repo " + repo + " init");
        assertEquals(0, init.code(), init.toString());
        Proc.Output backup = cairn("--repo " + repo + " backup \"$(printf 'src/caf\\351')\"");
        assertEquals(0, backup.code(), backup.toString());
        Proc.Output verify = cairn("--repo " + repo + " verify latest \"$(printf 'src/caf\\351/')\"");
        assertEquals(0, verify.code(), verify.toString());

        // The whole snapshot into a target named with a byte that is not UTF-8, then one path of it.
        Proc.Output all = cairn("--repo " + repo + " restore latest \"$(printf 'out\\377')\"");
        assertEquals(0, all.code(), all.toString());
        assertTrue(all.out().contains("out\\xff"), "the target is shown with its byte escaped: " + all.out());
        Path out = RawPaths.resolve(tmp, new byte[] {'o', 'u', 't', (byte) 0xff});
        assertEquals("soupe\n", Files.readString(out.resolve("menu.txt")));

        // A path inside a snapshot that holds such a byte: back up src, restore src's caf\xe9/menu.txt.
        assertEquals(0, cairn("--repo " + repo + " backup src").code());
        Files.createDirectories(tmp.resolve("one"));
        Proc.Output one = cairn("--repo " + repo + " restore \"$(printf 'latest:caf\\351/menu.txt')\" one");
        assertEquals(0, one.code(), one.toString());
        assertEquals("soupe\n", Files.readString(tmp.resolve("one/menu.txt")));
        Proc.Output ls = cairn("--repo " + repo + " ls latest \"$(printf 'caf\\351')\"");
        assertEquals(0, ls.code(), ls.toString());
        assertTrue(ls.out().contains("menu.txt"), ls.out());

        try (Stream<Path> s = Files.list(tmp.resolve("src"))) {
            assertArrayEquals(cafe, RawPaths.fileName(s.findFirst().orElseThrow()));
        }
    }

    @Test
    void aLocalTargetAtSuchAPathHoldsTheSegmentsAndServesThemBack() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(tmp.resolve("src/a.txt"), "the only copy lives on the disk\n");
        Path disk = Files.createDirectories(RawPaths.resolve(tmp, new byte[] {'u', 's', 'b', (byte) 0xe9}));
        String repo = quote(tmp.resolve("repo").toString());
        assertEquals(0, cairn("--repo " + repo + " init").code());
        Proc.Output add = cairn("--repo " + repo + " target add usb \"$(printf 'usb\\351')\"");
        assertEquals(0, add.code(), add.toString());
        assertTrue(add.out().contains("usb%E9"), "the stored URI spells the byte: " + add.out());

        assertEquals(0, cairn("--repo " + repo + " backup src").code());
        Proc.Output evict = cairn("--repo " + repo + " evict");
        assertEquals(0, evict.code(), evict.toString());
        try (Stream<Path> segs = Files.list(disk.resolve("segments"))) {
            assertTrue(segs.findAny().isPresent(), "the segments went to the directory with the byte in its name");
        }
        Proc.Output restore = cairn("--repo " + repo + " restore latest out");
        assertEquals(0, restore.code(), restore.toString());
        assertEquals("the only copy lives on the disk\n", Files.readString(tmp.resolve("out/a.txt")));
    }
}
