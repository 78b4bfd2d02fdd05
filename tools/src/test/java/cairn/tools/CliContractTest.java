package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output scripts depend on (DESIGN.md, "CLI contract"): ids, --json, ls, find, latest, prefixes. */
class CliContractTest {
    @TempDir
    Path tmp;
    Path repo;
    Path src;

    @BeforeEach
    void setUp() throws Exception {
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("docs/deep"));
        Files.write(src.resolve("docs/report.odt"), "report".getBytes());
        Files.write(src.resolve("docs/deep/old.odt"), "old".getBytes());
        Files.write(src.resolve("readme.txt"), "read me\n".getBytes());
        Proc.sh(src, "ln -s readme.txt link");
    }

    @Test
    void backupPrintsTheIdLastAndSnapshotsJsonDescribesIt() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String id = Cli.backup(repo, src, "--label", "nightly");
        List<Map<String, Object>> snaps = Json.array(Cli.expect(0, repo, "snapshots", "--json").out());
        assertEquals(1, snaps.size());
        Map<String, Object> s = snaps.get(0);
        assertEquals(id, s.get("id"));
        assertEquals("nightly", s.get("label"));
        assertEquals("tree", s.get("kind"));
        assertEquals("complete", s.get("status"));
        assertEquals(src.toRealPath().toString(), s.get("source"));
        Instant time = Instant.parse((String) s.get("time"));
        assertTrue(!time.isBefore(before) && !time.isAfter(Instant.now()), "time " + time);
        assertEquals(4L, s.get("files"), "3 files and a symlink");
        assertEquals(3L, s.get("dirs"));
        assertEquals(0L, s.get("errors"));

        String table = Cli.expect(0, repo, "snapshots").out();
        assertTrue(table.lines().anyMatch(l -> l.startsWith(id) && l.contains("nightly") && l.contains("complete")),
                table);
    }

    @Test
    void jsonOutputEscapesWhatItQuotes() throws Exception {
        Proc.sh(src, "printf x > \"$(printf 'a\\377b')\" && printf y > 'quote\"back\\slash'");
        String label = "say \"hi\" \\ \u00fc\ttab";
        String id = Cli.backup(repo, src, "--label", label);
        assertEquals(label, Json.array(Cli.expect(0, repo, "snapshots", "--json").out()).get(0).get("label"));
        List<Object> names = Json.array(Cli.expect(0, repo, "ls", id, "--json").out()).stream()
                .map(m -> m.get("name")).toList();
        assertTrue(names.contains("a\\xffb"), "invalid UTF-8 shown as \\xff: " + names);
        assertTrue(names.contains("quote\"back\\\\slash"), "a real backslash is doubled: " + names);
    }

    /**
     * A name holding a newline or a tab is one line in ls and find, with those bytes as \\xNN (as invalid
     * UTF-8 is): a script reading a line per entry sees every entry once. JSON keeps the name as it is.
     */
    @Test
    void controlCharactersInNamesAreEscapedInLinesButNotInJson() throws Exception {
        Files.createDirectories(src.resolve("two\nlines"));
        Files.write(src.resolve("two\nlines/tab\there.odt"), "x".getBytes());
        Files.write(src.resolve("cr\rdel\u007fesc\u001b.odt"), "y".getBytes());
        String id = Cli.backup(repo, src);

        List<String> root = Cli.expect(0, repo, "ls", id).outLines();
        assertEquals(5, root.size(), "one line per entry: " + root);
        assertTrue(root.stream().anyMatch(l -> l.startsWith("d") && l.endsWith(" two\\x0alines")), root.toString());
        assertTrue(root.stream().anyMatch(l -> l.endsWith(" cr\\x0ddel\\x7fesc\\x1b.odt")), root.toString());
        List<String> inside = Cli.expect(0, repo, "ls", id, "two\nlines").outLines();
        assertEquals(1, inside.size(), inside.toString());
        assertTrue(inside.get(0).endsWith(" tab\\x09here.odt"), inside.toString());

        // Patterns still match the names themselves; what is printed is escaped.
        List<String> found = Cli.expect(0, repo, "find", "*.odt").outLines().stream().sorted().toList();
        assertEquals(List.of(id + "  /cr\\x0ddel\\x7fesc\\x1b.odt", id + "  /docs/deep/old.odt",
                id + "  /docs/report.odt", id + "  /two\\x0alines/tab\\x09here.odt"), found);
        assertEquals(List.of(id + "  /two\\x0alines/tab\\x09here.odt"),
                Cli.expect(0, repo, "find", "two\nlines/tab\t*").outLines());

        List<Map<String, Object>> json = Json.array(Cli.expect(0, repo, "ls", id, "two\nlines", "--json").out());
        assertEquals("tab\there.odt", json.get(0).get("name"));
        assertEquals("/two\nlines/tab\there.odt", json.get(0).get("path"));
    }

    @Test
    void snapshotsAreNamedByIdPrefixOrLatest() throws Exception {
        String first = Cli.backup(repo, src);
        Files.write(src.resolve("added.txt"), "later\n".getBytes());
        String second = Cli.backup(repo, src);
        assertFalse(first.equals(second));
        assertTrue(Cli.expect(0, repo, "ls", "latest").out().contains("added.txt"));
        assertFalse(Cli.expect(0, repo, "ls", first).out().contains("added.txt"));
        String prefix = first.substring(0, 6);
        if (!second.startsWith(prefix)) {
            assertFalse(Cli.expect(0, repo, "ls", prefix).out().contains("added.txt"));
        }
        Cli.Result none = Cli.run(repo, "ls", "");
        assertEquals(1, none.code(), none.toString());
    }

    @Test
    void lsShowsEntriesLikeLsDashL() throws Exception {
        String id = Cli.backup(repo, src);
        List<String> root = Cli.expect(0, repo, "ls", id).outLines();
        assertEquals(3, root.size(), root.toString());
        assertTrue(root.stream().anyMatch(l -> l.startsWith("d") && l.endsWith(" docs")), root.toString());
        assertTrue(root.stream().anyMatch(l -> l.startsWith("l") && l.endsWith(" link -> readme.txt")), root.toString());
        assertTrue(root.stream().anyMatch(l -> l.startsWith("-") && l.contains(" 8 ") && l.endsWith(" readme.txt")),
                root.toString());

        List<Map<String, Object>> docs = Json.array(Cli.expect(0, repo, "ls", id, "docs", "--json").out());
        assertEquals(2, docs.size());
        assertEquals("/docs/deep", docs.get(0).get("path"));
        assertEquals("dir", docs.get(0).get("type"));
        assertEquals("/docs/report.odt", docs.get(1).get("path"));
        assertEquals(6L, docs.get(1).get("size"));

        List<Map<String, Object>> one = Json.array(Cli.expect(0, repo, "ls", id, "docs/report.odt", "--json").out());
        assertEquals(1, one.size());
        assertEquals("file", one.get(0).get("type"));
    }

    @Test
    void findMatchesNamesAnywhereAndPathsFromTheRoot() throws Exception {
        String first = Cli.backup(repo, src);
        Files.write(src.resolve("docs/new.odt"), "new".getBytes());
        String second = Cli.backup(repo, src);
        List<String> byName = Cli.expect(0, repo, "find", "*.odt").outLines().stream().sorted().toList();
        assertEquals(List.of(first + "  /docs/deep/old.odt", first + "  /docs/report.odt",
                second + "  /docs/deep/old.odt", second + "  /docs/new.odt", second + "  /docs/report.odt").stream()
                .sorted().toList(), byName);
        List<String> byPath = Cli.expect(0, repo, "find", "docs/*.odt", "--snapshot", second).outLines();
        assertEquals(List.of(second + "  /docs/new.odt", second + "  /docs/report.odt"), byPath);
        assertEquals(List.of(), Cli.expect(0, repo, "find", "*.nothing").outLines());
    }

    /** No --repo: $CAIRN_REPO, else ~/.local/share/cairn, which the first backup creates (and only that one). */
    @Test
    void theDefaultRepositoryIsCreatedByTheFirstBackupButANamedOneNeverIs() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HOME", home.toString());
        env.put("CAIRN_REPO", null);
        env.put("XDG_DATA_HOME", null);
        Proc.Output first = Proc.waitFor(Proc.startCairn(logs, List.of(), null, env, "backup", src.toString()), logs, 60);
        assertEquals(0, first.code(), first.toString());
        Path created = home.resolve(".local/share/cairn");
        assertTrue(first.err().contains("created repository at " + created), first.err());
        assertTrue(Files.isRegularFile(created.resolve("cairn-repository")));
        assertEquals(1, Json.array(Cli.expect(0, created, "snapshots", "--json").out()).size());

        Path named = tmp.resolve("named");
        env.put("CAIRN_REPO", named.toString());
        Proc.Output refused = Proc.waitFor(Proc.startCairn(logs, List.of(), null, env, "backup", src.toString()),
                logs, 60);
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().startsWith("cairn: ") && refused.err().contains("not a cairn repository"),
                refused.err());
        assertFalse(Files.exists(named), "a repository named by $CAIRN_REPO was created implicitly");
        Proc.Output init = Proc.waitFor(Proc.startCairn(logs, List.of(), null, env, "init"), logs, 60);
        assertEquals(0, init.code(), init.toString());
        assertTrue(Files.isRegularFile(named.resolve("cairn-repository")), "$CAIRN_REPO was not used by init");
    }

    @Test
    void helpAndVersionSucceed() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.code());
        for (String verb : List.of("init", "backup", "snapshots", "errors", "ls", "find", "restore", "check", "verify",
                "sync", "stats", "mount", "umount", "target", "push", "evict", "recover", "help")) {
            assertTrue(help.out().contains("\n  " + verb + " "), verb + " missing from --help: " + help.out());
        }
        assertEquals(0, Cli.run("--version").code());
        Cli.Result one = Cli.run("help", "sync");
        assertEquals(0, one.code());
        assertTrue(one.out().startsWith("Usage: cairn sync "), one.out());
        for (String[] asked : List.of(new String[] {"backup", "--help"}, new String[] {"restore", "-h"},
                new String[] {"target", "add", "--help"}, new String[] {"--repo", "/r", "mount", "--help"})) {
            Cli.Result h = Cli.run(asked);
            assertEquals(0, h.code(), String.join(" ", asked) + ": " + h);
            assertTrue(h.out().startsWith("Usage: cairn "), h.out());
        }
    }

    /** A mistyped command must not pass for help that was asked for: a script would take it as success. */
    @Test
    void anUnknownCommandIsAnErrorAlsoWithHelp() {
        for (String[] asked : List.of(new String[] {"frobnicate", "--help"}, new String[] {"frobnicate", "-h"},
                new String[] {"--help", "frobnicate"}, new String[] {"frobnicate", "--version"},
                new String[] {"--repo", repo.toString(), "frobnicate", "--help"}, new String[] {"frobnicate"})) {
            Cli.Result r = Cli.run(asked);
            assertEquals(1, r.code(), String.join(" ", asked) + ": " + r);
            assertEquals("", r.out(), String.join(" ", asked) + ": " + r);
            assertEquals(List.of("cairn: unknown command 'frobnicate'; see cairn --help"), r.errLines(),
                    String.join(" ", asked) + ": " + r);
        }
        Cli.Result typo = Cli.run("bakup", "--help");
        assertEquals(1, typo.code(), typo.toString());
        assertEquals(List.of("cairn: unknown command 'bakup' (did you mean backup?); see cairn --help"),
                typo.errLines());
        Cli.Result below = Cli.run("target", "frob", "--help");
        assertEquals(1, below.code(), below.toString());
        assertEquals(List.of("cairn: unknown command 'target frob'; see cairn target --help"), below.errLines());
        Cli.Result extra = Cli.run("ls", "--help", "a", "b", "c");
        assertEquals(1, extra.code(), extra.toString());
        assertEquals(1, extra.errLines().size(), extra.toString());
        assertTrue(extra.err().contains("'c'") && extra.err().contains("see cairn ls --help"), extra.toString());

        for (String[] asked : List.of(new String[] {"--help"}, new String[] {"backup", "--help"})) {
            Cli.Result help = Cli.run(asked);
            assertEquals(0, help.code(), String.join(" ", asked) + ": " + help);
            assertTrue(help.out().startsWith("Usage: cairn "), help.toString());
            assertEquals("", help.err(), help.toString());
        }
    }

    @Test
    void anEmptyPathIsRefusedRatherThanTakenAsTheCurrentDirectory() throws Exception {
        Cli.expect(0, repo, "backup", src.toString());
        for (String[] args : List.of(new String[] {"restore", "latest", ""}, new String[] {"backup", ""},
                new String[] {"backup", "--image", ""}, new String[] {"sync", "", "x.img"},
                new String[] {"verify", "latest", ""})) {
            Cli.Result r = Cli.run(repo, args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r);
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().contains("empty path"), r.toString());
        }
    }

    @Test
    void theSubcommandIsFoundPastCairnsOwnOptions() {
        assertEquals("backup", Main.subcommandName(new String[] {"--repo", "/r", "backup", "/home"}));
        assertEquals("ls", Main.subcommandName(new String[] {"--repo=/r", "ls", "latest"}));
        assertEquals("sync", Main.subcommandName(new String[] {"sync", "--dry-run", "a", "b"}));
        assertEquals(null, Main.subcommandName(new String[] {"--repo", "/r"}));
        assertEquals(null, Main.subcommandName(new String[] {"--version"}));
        Cli.Result typo = Cli.run("--repo", repo.toString(), "snapshot");
        assertEquals(1, typo.code());
        assertTrue(typo.err().contains("'snapshot'"), typo.err());
    }
}
