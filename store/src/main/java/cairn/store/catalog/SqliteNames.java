package cairn.store.catalog;

import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name SQLite is given for a file. A JDBC URL and the text of a statement are strings, which cannot
 * hold a byte that is not UTF-8; for a file in such a directory the name goes through {@code
 * /proc/self/fd/N}, a descriptor of its directory, and SQLite, which resolves symbolic links in a
 * database's name, finds the real bytes itself (its journal and WAL files beside it too). The
 * directory stays open for the life of the process: one descriptor per such directory.
 */
final class SqliteNames {
    private static final Map<String, Integer> DIRECTORIES = new ConcurrentHashMap<>();

    private SqliteNames() {
    }

    static String of(Path file) throws CatalogException {
        String s = file.toString();
        byte[] raw = RawPaths.bytes(file);
        if (Arrays.equals(raw, s.getBytes(StandardCharsets.UTF_8))) {
            return s;
        }
        Path abs = file.toAbsolutePath();
        String name = abs.getFileName().toString();
        if (!Arrays.equals(RawPaths.fileName(abs), name.getBytes(StandardCharsets.UTF_8))) {
            throw new CatalogException("a catalog file's own name must be valid UTF-8: " + RawPaths.display(raw));
        }
        Path dir = abs.getParent();
        String key = HexFormat.of().formatHex(RawPaths.bytes(dir));
        try {
            Integer fd = DIRECTORIES.get(key);
            if (fd == null) {
                synchronized (DIRECTORIES) {
                    fd = DIRECTORIES.get(key);
                    if (fd == null) {
                        fd = UnixCalls.open(dir, UnixCalls.O_RDONLY | UnixCalls.O_CLOEXEC);
                        DIRECTORIES.put(key, fd);
                    }
                }
            }
            return "/proc/self/fd/" + fd + "/" + name;
        } catch (IOException e) {
            throw new CatalogException("cannot open the directory of " + RawPaths.display(raw) + ": " + e.getMessage(), e);
        }
    }
}
