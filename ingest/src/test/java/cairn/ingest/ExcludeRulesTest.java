package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --exclude: a pattern without a slash matches names anywhere, one with a slash the path from the root. */
class ExcludeRulesTest {
    private static boolean excludes(ExcludeRules r, String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return r.excludes(path.getBytes(), name.getBytes());
    }

    @Test
    void namePatternsMatchAtAnyDepth() {
        ExcludeRules r = new ExcludeRules(List.of("*.tmp", ".cache"));
        assertTrue(excludes(r, "a.tmp"));
        assertTrue(excludes(r, "x/y/z.tmp"));
        assertTrue(excludes(r, "home/.cache"));
        assertFalse(excludes(r, "a.tmpx"));
        assertFalse(excludes(r, ".cache-not/file"));
    }

    @Test
    void pathPatternsMatchFromTheRoot() {
        ExcludeRules r = new ExcludeRules(List.of("build/**", "logs/*.gz"));
        assertTrue(excludes(r, "build/out"));
        assertTrue(excludes(r, "build/out/deeper/x"));
        assertTrue(excludes(r, "logs/a.gz"));
        assertFalse(excludes(r, "src/build/out"));
        assertFalse(excludes(r, "logs/old/a.gz"));
        assertFalse(excludes(r, "logs/a.txt"));
    }

    @Test
    void aLeadingSlashAnchorsAtTheRoot() {
        ExcludeRules r = new ExcludeRules(List.of("/cache", "/var/tmp"));
        assertTrue(excludes(r, "cache"));
        assertFalse(excludes(r, "home/cache"), "/cache must not match a cache directory further down");
        assertTrue(excludes(r, "var/tmp"));
        assertFalse(excludes(r, "x/var/tmp"));
    }

    @Test
    void noPatternsExcludeNothing() {
        ExcludeRules r = new ExcludeRules(List.of());
        assertTrue(r.isEmpty());
        assertFalse(excludes(r, "anything"));
    }

    @Test
    void namesThatAreNotUtf8CanStillBeMatched() {
        ExcludeRules r = new ExcludeRules(List.of("*.tmp"));
        byte[] name = {'a', (byte) 0xff, '.', 't', 'm', 'p'};
        assertTrue(r.excludes(name, name));
    }
}
