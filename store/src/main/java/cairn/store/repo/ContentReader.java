package cairn.store.repo;

import cairn.store.catalog.ChunkList;
import java.io.IOException;

/** Random-access reads of a file's content over its chunk list; holes read as zeros. Thread-safe. */
public final class ContentReader {
    private final ChunkReader chunks;

    public ContentReader(ChunkReader chunks) {
        this.chunks = chunks;
    }

    /**
     * Copies up to {@code len} bytes starting at {@code offset} into {@code dst}; returns the number copied,
     * which is less than {@code len} only at the end of the content (0 at or past it).
     */
    public int read(ChunkList list, long offset, byte[] dst, int dstOff, int len) throws IOException {
        if (offset >= list.size() || len <= 0) {
            return 0;
        }
        int done = 0;
        int i = list.indexOf(offset);
        while (done < len && i < list.count()) {
            int within = (int) (offset + done - list.start(i));
            int n = Math.min(len - done, list.length(i) - within);
            if (list.isHole(i)) {
                // A hole is zeros without a stored chunk: nothing to read.
                java.util.Arrays.fill(dst, dstOff + done, dstOff + done + n, (byte) 0);
            } else {
                byte[] chunk = chunks.read(list.id(i));
                System.arraycopy(chunk, within, dst, dstOff + done, n);
            }
            done += n;
            i++;
        }
        return done;
    }
}
