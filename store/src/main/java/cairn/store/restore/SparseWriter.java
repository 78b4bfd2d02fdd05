package cairn.store.restore;

import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a file's bytes at their offsets but leaves every all-zero 4 KiB block unwritten, so zeros
 * become holes. The caller finishes with {@link #finish}, which makes the file exactly its size.
 */
final class SparseWriter {
    private static final int BLOCK = 4096;
    private static final int PIECE = 1 << 20;
    private static final byte[] ZEROS = new byte[BLOCK];
    private final FileChannel ch;
    /** What a failed write calls the file (its final name, not the temporary one), or null: the caller says. */
    private final Path name;
    private long written;

    SparseWriter(FileChannel ch) {
        this(ch, null);
    }

    /**
     * A write that fails names {@code name} and the offset (a full disk says only "No space left on
     * device"): {@code cannot write NAME at byte OFFSET: REASON}.
     */
    SparseWriter(FileChannel ch, Path name) {
        this.ch = ch;
        this.name = name;
    }

    void write(long offset, byte[] data, int off, int len) throws IOException {
        int runStart = -1;
        for (int p = off; p < off + len; p += BLOCK) {
            int n = Math.min(BLOCK, off + len - p);
            boolean zero = Arrays.mismatch(data, p, p + n, ZEROS, 0, n) == -1;
            if (!zero && runStart < 0) {
                runStart = p;
            } else if (zero && runStart >= 0) {
                put(offset + (runStart - off), data, runStart, p - runStart);
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            put(offset + (runStart - off), data, runStart, off + len - runStart);
        }
    }

    private void put(long pos, byte[] data, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data, off, len);
        int end = b.limit();
        try {
            while (b.position() < end) {
                // In pieces: the JDK copies a heap buffer into a per-thread direct one as large as the write.
                b.limit(Math.min(end, b.position() + PIECE));
                pos += ch.write(b, pos);
            }
        } catch (IOException e) {
            throw failed(pos, e);
        }
        written = Math.max(written, pos);
    }

    /** Extends the file over a trailing hole: writing its last byte makes the size exact. */
    void finish(long size) throws IOException {
        if (size > written) {
            try {
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            } catch (IOException e) {
                throw failed(size - 1, e);
            }
        }
    }

    private IOException failed(long pos, IOException e) {
        if (name == null || e instanceof java.nio.channels.ClosedByInterruptException) {
            return e;
        }
        return cannotWrite(name, pos, e);
    }

    /** {@code cannot write NAME at byte OFFSET: REASON}, with the failure as its cause. */
    static IOException cannotWrite(Path name, long pos, IOException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new IOException("cannot write " + RawPaths.display(RawPaths.bytes(name)) + " at byte " + pos + ": " + why,
                e);
    }
}
