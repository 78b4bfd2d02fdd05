package cairn.ingest;

import cairn.store.fsutil.Names;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --exclude GLOB}: a pattern without a slash matches any entry by its name ("*.tmp", ".cache");
 * a pattern with a slash matches the path relative to the backup's root ("build/**", "logs/*.gz").
 * Glob syntax is java.nio's: *, **, ?, [a-z], {a,b}.
 */
final class ExcludeRules {
    private final List<PathMatcher> byName = new ArrayList<>();
    private final List<PathMatcher> byPath = new ArrayList<>();

    ExcludeRules(List<String> globs) {
        for (String g : globs) {
            String pattern = g.startsWith("/") ? g.substring(1) : g;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            if (g.contains("/")) { // "/cache" is anchored at the root, like "cache/x"
                byPath.add(m);
            } else {
                byName.add(m);
            }
        }
    }

    boolean isEmpty() {
        return byName.isEmpty() && byPath.isEmpty();
    }

    /** {@code relative}: the entry's path under the root as raw bytes; {@code name}: its last element. */
    boolean excludes(byte[] relative, byte[] name) {
        if (isEmpty()) {
            return false;
        }
        Path n = Path.of(Names.text(name));
        for (PathMatcher m : byName) {
            if (m.matches(n)) {
                return true;
            }
        }
        if (!byPath.isEmpty()) {
            Path r = Path.of(Names.text(relative));
            for (PathMatcher m : byPath) {
                if (m.matches(r)) {
                    return true;
                }
            }
        }
        return false;
    }
}
