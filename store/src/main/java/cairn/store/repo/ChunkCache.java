package cairn.store.repo;

import cairn.store.chunk.ChunkId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decompressed chunks, least-recently-used out, bounded by total bytes, so a chunk read twice (a
 * duplicate file, a sequential reader crossing small reads) is decompressed once. Thread-safe.
 */
public final class ChunkCache {
    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<ChunkId, byte[]> map = new LinkedHashMap<>(64, 0.75f, true);

    public ChunkCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public synchronized byte[] get(ChunkId id) {
        return map.get(id);
    }

    public synchronized void put(ChunkId id, byte[] data) {
        if (data.length > maxBytes) {
            return;
        }
        byte[] old = map.put(id, data);
        if (old != null) {
            bytes -= old.length;
        }
        bytes += data.length;
        var it = map.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<ChunkId, byte[]> e = it.next();
            bytes -= e.getValue().length;
            it.remove();
        }
    }
}
