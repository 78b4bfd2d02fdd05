package cairn.store.repo;

import cairn.store.catalog.ChunkList;
import java.io.IOException;
import java.util.Arrays;

/** Random-access reads of a file's content over its chunk list; holes read as zeros. Thread-safe. */
public final class ContentReader {
    private final ChunkReader chunks;

    public ContentReader(ChunkReader chunks) {
        this.chunks = chunks;
    }

    /** Where read bytes go: {@code at} counts from the start of the read. */
    public interface Sink {
        void copy(int at, byte[] src, int srcOff, int len);

        void zero(int at, int len);
    }

    /**
     * Copies up to {@code len} bytes starting at {@code offset} into {@code dst}; returns the number copied,
     * which is less than {@code len} only at the end of the content (0 at or past it).
     */
    public int read(ChunkList list, long offset, byte[] dst, int dstOff, int len) throws IOException {
        return read(list, offset, len, new Sink() {
            @Override
            public void copy(int at, byte[] src, int srcOff, int n) {
                System.arraycopy(src, srcOff, dst, dstOff + at, n);
            }

            @Override
            public void zero(int at, int n) {
                Arrays.fill(dst, dstOff + at, dstOff + at + n, (byte) 0);
            }
        });
    }

    /**
     * {@link #read(ChunkList, long, byte[], int, int)} into a sink, straight from the cached chunks: the
     * mount copies into the kernel's buffer with no array of its own in between.
     */
    public int read(ChunkList list, long offset, int len, Sink sink) throws IOException {
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
                sink.zero(done, n);
            } else {
                try (ChunkCache.Entry chunk = chunks.pin(list.id(i))) {
                    sink.copy(done, chunk.data(), within, n);
                }
            }
            done += n;
            i++;
        }
        return done;
    }
}
