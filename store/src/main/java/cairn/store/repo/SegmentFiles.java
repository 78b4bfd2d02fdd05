package cairn.store.repo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded set of open segment files for positional reads, closed least-recently-used first.
 * FileChannel positional reads are safe from many threads, so one channel serves all readers.
 * Thread-safe.
 */
final class SegmentFiles implements AutoCloseable {
    private final RepoLayout layout;
    private final int maxOpen;
    private final LinkedHashMap<String, FileChannel> open;

    SegmentFiles(RepoLayout layout, int maxOpen) {
        this.layout = layout;
        this.maxOpen = maxOpen;
        this.open = new LinkedHashMap<>(16, 0.75f, true);
    }

    synchronized FileChannel channel(String segmentName) throws IOException {
        FileChannel ch = open.get(segmentName);
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        Path p = layout.segment(segmentName);
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(p.toString(), null, "segment " + segmentName + " is missing");
        }
        open.put(segmentName, ch);
        if (open.size() > maxOpen) {
            Map.Entry<String, FileChannel> eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            // A reader may still be mid-read on it; closing makes that read fail with a retryable error,
            // so keep the pool large enough that this only happens to idle channels.
            eldest.getValue().close();
        }
        return ch;
    }

    @Override
    public synchronized void close() {
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a read-only channel cannot lose data
            }
        }
        open.clear();
    }
}
