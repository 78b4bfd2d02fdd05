package cairn.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The bytes [start, end) of a file as a stream, read by position (the channel's own position is left alone). */
final class RangeInputStream extends InputStream {
    private final FileChannel channel;
    private final long end;
    private long pos;

    RangeInputStream(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.pos = start;
        this.end = end;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= end) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
        if (n < 0) {
            return -1; // the file shrank since it was mapped: what is there is what is stored
        }
        pos += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
}
