package cairn.store.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into content-defined chunks. Each chunk is returned in its own array, because it is
 * handed to another thread for hashing and compression. The internal buffer holds two maximum-size
 * chunks, so memory per stream is bounded by the chunker's maximum.
 */
public final class ChunkStream {
    private static final int READ_SIZE = 1 << 20;
    private final InputStream in;
    private final FastCdc cdc;
    private final byte[] buf;
    private int start;
    private int end;
    private boolean eof;

    public ChunkStream(InputStream in, FastCdc cdc) {
        this.in = in;
        this.cdc = cdc;
        this.buf = new byte[cdc.max() * 2];
    }

    /** The next chunk, or null at end of input. */
    public byte[] next() throws IOException {
        if (end - start < cdc.max() && !eof) {
            fill();
        }
        int avail = end - start;
        if (avail == 0) {
            return null;
        }
        int n = cdc.cut(buf, start, avail);
        byte[] chunk = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        return chunk;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end < buf.length) {
            // Reads of at most 1 MiB keep the JDK's intermediate direct buffer small and in cache.
            int r = in.read(buf, end, Math.min(READ_SIZE, buf.length - end));
            if (r < 0) {
                eof = true;
                return;
            }
            end += r;
        }
    }
}
