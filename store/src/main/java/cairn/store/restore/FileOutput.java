package cairn.store.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file written from its start to its end, as an image's gzip is. A write that fails (a full disk says
 * only "No space left on device") names the file, as the user gave it, and how many bytes had reached it.
 */
final class FileOutput extends OutputStream {
    private final FileChannel channel;
    private final Path name;
    private long written;

    /** Writes through {@code channel}, at its position; {@code name} is what errors call the file. */
    FileOutput(FileChannel channel, Path name) {
        this.channel = channel;
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        try {
            while (buffer.hasRemaining()) {
                // Counted call by call: a full disk often takes part of a write before it refuses the rest.
                written += channel.write(buffer);
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Makes what was written durable; a file system may report a full disk only now. */
    void force() throws IOException {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Bytes that reached the file. */
    long written() {
        return written;
    }

    private IOException failed(IOException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new IOException("cannot write " + name + " after " + written + " bytes: " + why, e);
    }
}
