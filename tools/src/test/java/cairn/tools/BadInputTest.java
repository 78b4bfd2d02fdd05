package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends with exit status 1, exactly one line on stderr starting "cairn: ", and a
 * repository that is byte-for-byte what it was (names, sizes and contents of every file in it).
 */
class BadInputTest {
    @TempDir
    Path tmp;
    Path repo;
    Path src;
    String snap;

    @BeforeEach
    void repositoryWithOneSnapshot() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("f.txt"), "content\n".getBytes());
        snap = Cli.backup(repo, src);
    }

    @Test
    void nonexistentSource() throws Exception {
        Cli.Result r = failsCleanly("backup", tmp.resolve("no-such-dir").toString());
        assertTrue(r.err().contains("no-such-dir"), r.err());
    }

    @Test
    void aFileWhereADirectoryIsExpected() throws Exception {
        Cli.Result r = failsCleanly("backup", src.resolve("f.txt").toString());
        assertTrue(r.err().contains("not a directory"), r.err());
        // verify's SOURCE, and a restore TARGET below a regular file, are directories too.
        failsCleanly("verify", snap, src.resolve("f.txt").toString());
        failsCleanly("restore", snap, src.resolve("f.txt").resolve("below").toString());
    }

    @Test
    void unknownSnapshotId() throws Exception {
        String unknown = snap.startsWith("0") ? "ffffffff" : "00000000";
        for (String[] args : new String[][] {{"restore", unknown, tmp.resolve("dst").toString()},
                {"ls", unknown}, {"verify", unknown, src.toString()}, {"restore", "not-hex!", tmp.toString()},
                {"ls", snap, "no/such/path"}, {"restore", snap + ":no-such-file", tmp.resolve("x").toString()}}) {
            Cli.Result r = failsCleanly(args);
            assertTrue(r.err().contains("snapshot") || r.err().contains("path"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("dst")), "a failed restore created its target");
    }

    @Test
    void repoThatIsNotARepository() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path missing = tmp.resolve("missing");
        for (Path notRepo : new Path[] {empty, missing, src}) {
            Map<String, String> before = listing(notRepo);
            for (String[] args : new String[][] {{"snapshots"}, {"backup", src.toString()}, {"check"},
                    {"restore", "latest", tmp.resolve("dst").toString()}, {"stats"}}) {
                Cli.Result r = Cli.run(notRepo, args);
                assertOneLineFailure(r, String.join(" ", args));
                assertTrue(r.err().contains("not a cairn repository"), r.err());
            }
            assertEquals(before, listing(notRepo), notRepo + " was changed");
        }
        assertFalse(Files.exists(missing), "a --repo that names nothing must not be created implicitly");
        assertOneLineFailure(Cli.run(repo, "init"), "init over an existing repository");
        Map<String, String> srcBefore = listing(src);
        assertOneLineFailure(Cli.run(src, "init"), "init in a non-empty directory");
        assertEquals(srcBefore, listing(src));
    }

    @Test
    void repositoryOfANewerFormatVersion() throws Exception {
        Path marker = repo.resolve("cairn-repository");
        String text = Files.readString(marker);
        assertTrue(text.contains("\nversion 1\n"), text);
        Files.writeString(marker, text.replace("\nversion 1\n", "\nversion 2\n"));
        for (String[] args : new String[][] {{"snapshots"}, {"backup", src.toString()}, {"check", "--read-data"},
                {"restore", snap, tmp.resolve("dst").toString()}, {"ls", snap}, {"stats"}}) {
            Cli.Result r = failsCleanly(args);
            assertTrue(r.err().contains("newer"), r.err());
        }
    }

    @Test
    void catalogOfANewerSchemaVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("catalog.db"));
             Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
        }
        for (String[] args : new String[][] {{"snapshots"}, {"backup", src.toString()}, {"check"}}) {
            Cli.Result r = failsCleanly(args);
            assertTrue(r.err().contains("newer"), r.err());
        }
    }

    @Test
    void corruptedCatalog() throws Exception {
        Path catalog = repo.resolve("catalog.db");
        byte[] garbage = Trees.random(99, (int) Files.size(catalog));
        Files.write(catalog, garbage);
        for (String[] args : new String[][] {{"snapshots"}, {"backup", src.toString()}, {"check", "--read-data"},
                {"restore", snap, tmp.resolve("dst").toString()}, {"verify", snap, src.toString()}}) {
            Cli.Result r = failsCleanly(args);
            assertTrue(r.err().contains("catalog"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("dst")));
    }

    /** A valid header page but garbage after it: SQLite opens the file, and reading it must still fail cleanly. */
    @Test
    void catalogWithDamagedPages() throws Exception {
        Path catalog = repo.resolve("catalog.db");
        byte[] db = Files.readAllBytes(catalog);
        assertTrue(db.length > 8192, "catalog of " + db.length + " bytes");
        byte[] garbage = Trees.random(98, db.length - 4096);
        System.arraycopy(garbage, 0, db, 4096, garbage.length);
        Files.write(catalog, db);
        for (String[] args : new String[][] {{"snapshots"}, {"check"}, {"restore", snap, tmp.resolve("dst").toString()},
                {"backup", src.toString()}}) {
            failsCleanly(args);
        }
    }

    /** A catalog truncated to nothing (full disk, bad copy) must be refused and left as found. */
    @Test
    void aZeroByteCatalogIsRefusedAndLeftAsFound() throws Exception {
        Files.write(repo.resolve("catalog.db"), new byte[0]);
        failsCleanly("snapshots");
    }

    @Test
    void badCommandLines() throws Exception {
        failsCleanly("backup");
        failsCleanly("no-such-command");
        failsCleanly("backup", "--compression", "99", src.toString());
        failsCleanly("backup", "--no-such-option", src.toString());
    }

    /** Runs against {@link #repo} and checks the failure contract, including an unchanged repository. */
    private Cli.Result failsCleanly(String... args) throws IOException {
        Map<String, String> before = listing(repo);
        Cli.Result r = Cli.run(repo, args);
        assertOneLineFailure(r, String.join(" ", args));
        assertEquals(before, listing(repo), "cairn " + String.join(" ", args) + " changed the repository");
        return r;
    }

    private static void assertOneLineFailure(Cli.Result r, String what) {
        assertEquals(1, r.code(), what + ": " + r);
        assertEquals(1, r.errLines().size(), what + ": expected one line on stderr: " + r);
        assertTrue(r.errLines().get(0).startsWith("cairn: "), what + ": " + r);
        assertFalse(r.err().contains("\tat "), what + ": stack trace on stderr: " + r);
    }

    /** Every file under {@code dir} with its size and SHA-256. */
    static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString();
                m.put(rel, Files.isRegularFile(p) ? Files.size(p) + " " + Trees.sha256(p)
                        : Files.isDirectory(p) ? "dir" : "other");
            }
        }
        return m;
    }
}
