package cairn.store.image;

import cairn.store.fsutil.Posix;
import java.io.IOException;

/**
 * Where a sparse file's data is, asked of the file system with lseek(SEEK_DATA), so an image's holes are
 * skipped without reading them: a 100 GiB image holding 5 GiB reads 5 GiB. One lseek per block at most,
 * and none inside a hole already found. A file system or device without SEEK_DATA makes every range
 * count as data, which is always correct, just slower. Used by one thread at a time.
 */
public final class DataRegions implements AutoCloseable {
    private final int fd;
    private boolean supported = true;
    /** [holeStart, holeEnd) is known to hold no data. */
    private long holeStart = -1;
    private long holeEnd = -1;

    private DataRegions(int fd) {
        this.fd = fd;
    }

    public static DataRegions open(byte[] path) throws IOException {
        return new DataRegions(Posix.openReadOnly(path));
    }

    /** Whether [start, end) lies wholly in a hole, so its bytes are zeros without reading them. */
    public boolean isHole(long start, long end) {
        if (start >= holeStart && end <= holeEnd) {
            return true;
        }
        if (!supported) {
            return false;
        }
        long data;
        try {
            data = Posix.lseek(fd, start, Posix.SEEK_DATA);
        } catch (IOException e) {
            supported = false; // e.g. EINVAL: no SEEK_DATA here; read everything
            return false;
        }
        holeStart = start;
        // -1: no data from here to the end of the file.
        holeEnd = data < 0 ? Long.MAX_VALUE : data;
        return end <= holeEnd;
    }

    /** The size of the file or block device behind {@code path}: lseek(SEEK_END), which stat does not give for devices. */
    public static long size(byte[] path) throws IOException {
        int fd = Posix.openReadOnly(path);
        try {
            return Posix.lseek(fd, 0, Posix.SEEK_END);
        } finally {
            Posix.close(fd);
        }
    }

    @Override
    public void close() {
        Posix.close(fd);
    }
}
