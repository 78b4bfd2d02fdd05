package cairn.fs.view;

import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FsException;
import cairn.store.catalog.CatalogException;
import cairn.store.catalog.EntryType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Path bytes → node. libfuse 2 hands over full paths, so resolved directories are kept in a bounded
 * LRU: resolving {@code /a/b/c} usually costs one lookup of {@code c} in the cached {@code /a/b}.
 * Keys are the path bytes as ISO-8859-1 strings (one char per byte, so byte-exact). Thread-safe.
 */
final class Resolver {
    private static final int CACHED_DIRS = 8192;

    private final Node root;
    private final Directories dirs;
    private final Map<String, Node> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Node> eldest) {
            return size() > CACHED_DIRS;
        }
    };

    Resolver(Node root, Directories dirs) {
        this.root = root;
        this.dirs = dirs;
    }

    Node root() {
        return root;
    }

    /** The node at {@code path}; ENOENT when there is none, ENOTDIR when a parent is not a directory. */
    Node resolve(byte[] path) throws CatalogException, FsException {
        int end = path.length;
        while (end > 1 && path[end - 1] == '/') {
            end--;
        }
        if (end <= 1) {
            return root;
        }
        String key = new String(path, 0, end, StandardCharsets.ISO_8859_1);
        synchronized (cache) {
            Node hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        int slash = end - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        Node parent = slash <= 0 ? root : resolve(Arrays.copyOf(path, slash));
        Node n = dirs.lookup(parent, Arrays.copyOfRange(path, slash + 1, end));
        if (n == null) {
            throw new FsException(Errno.ENOENT);
        }
        if (n instanceof Node.InSnapshot in && in.entry().type() == EntryType.DIR) {
            synchronized (cache) {
                cache.put(key, n);
            }
        }
        return n;
    }
}
