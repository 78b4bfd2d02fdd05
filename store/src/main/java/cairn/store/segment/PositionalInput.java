package cairn.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes of one segment file read by position, wherever the file is: a local {@code FileChannel}
 * ({@code channel::read} fits), a range fetched from a remote host, an extent inside an image.
 * Implementations are safe for concurrent reads from many threads.
 */
@FunctionalInterface
public interface PositionalInput {
    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code position} into {@code dst} and
     * advances its position. Returns the number of bytes read, which may be fewer than asked (the
     * caller reads again), or -1 when {@code position} is at or past the end of the segment.
     */
    int read(ByteBuffer dst, long position) throws IOException;
}
