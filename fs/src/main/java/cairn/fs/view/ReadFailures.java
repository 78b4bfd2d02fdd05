package cairn.fs.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Log lines for chunks that cannot be read: one per file and segment, however often the kernel
 * retries the read, so a damaged segment does not flood the log. Thread-safe.
 */
final class ReadFailures {
    private final Consumer<String> log;
    private final Set<String> reported = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    ReadFailures(Consumer<String> log) {
        this.log = log;
    }

    void report(String file, String segment, String reason) {
        String where = segment == null ? "a chunk missing from the catalog" : "segment " + segment;
        synchronized (reported) {
            if (!reported.add(file + "\0" + where)) {
                return;
            }
        }
        log.accept("cairn: cannot read " + file + ": it needs " + where + " (" + reason + ")");
    }
}
