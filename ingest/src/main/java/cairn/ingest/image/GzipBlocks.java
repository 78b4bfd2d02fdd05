package cairn.ingest.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image inside a gzip file (ddpar's {@code .img.gz}), decompressed on the producing thread, one
 * block at a time; hashing and compression of each block still run on the workers. Every member of a
 * multi-member file is read, and a file whose members do not all check out fails rather than giving
 * a shorter image ({@link StrictGzipInputStream}: the JDK's zlib, as fast as commons-compress's here,
 * 300-350 MB/s, without the dependency).
 */
final class GzipBlocks implements BlockSource {
    private final Path path;
    private final InputStream in;
    private final int blockSize;
    private final long gzSize;
    private long next;

    GzipBlocks(Path path, int blockSize) throws IOException {
        this.path = path;
        this.blockSize = blockSize;
        this.gzSize = Files.size(path);
        InputStream file = Files.newInputStream(path);
        try {
            this.in = new StrictGzipInputStream(file); // reads the first member's header
        } catch (IOException e) {
            file.close();
            throw new IOException("cannot decompress " + path + ", which starts as a gzip file does: " + reason(e), e);
        }
    }

    /** What went wrong, also for an exception that says nothing (an EOFException from below). */
    private static String reason(IOException e) {
        return e.getMessage() == null ? "it ends early (a copy cut short?)" : e.getMessage();
    }

    @Override
    public BlockRead next() throws IOException {
        byte[] data;
        try {
            // Into one array: readNBytes(int) gathers pieces and copies them, twice a block's memory.
            byte[] buf = new byte[blockSize];
            int n = in.readNBytes(buf, 0, blockSize);
            data = n == blockSize ? buf : java.util.Arrays.copyOf(buf, n);
        } catch (IOException e) {
            throw new IOException("cannot decompress " + path + " at image offset " + next + ": " + reason(e), e);
        }
        if (data.length == 0) {
            return null;
        }
        long offset = next;
        next += data.length;
        return new BlockRead() {
            @Override
            public long offset() {
                return offset;
            }

            @Override
            public int length() {
                return data.length;
            }

            @Override
            public byte[] read() {
                return data;
            }
        };
    }

    @Override
    public void finish() throws IOException {
        if (Files.size(path) != gzSize) {
            throw new IOException(path + " changed size during the backup: no snapshot saved");
        }
    }

    @Override
    public long size() {
        return next;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
