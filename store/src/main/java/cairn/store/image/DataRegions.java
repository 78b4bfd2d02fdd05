package cairn.store.image;

import cairn.store.fsutil.Posix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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

    /** Whether the file open as {@code fd} holds no data in [start, end) (false when the file system cannot say). */
    public static boolean holeAt(int fd, long start, long end) {
        try {
            long data = Posix.lseek(fd, start, Posix.SEEK_DATA);
            return data < 0 || data >= end;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The holes of at least {@code minHole} bytes in the first {@code size} bytes of the file open as
     * {@code fd}, in order, as {start, end} pairs; empty when it has none (almost every file: one lseek
     * tells) or the file system cannot say. Smaller holes are left to be read as zeros, so that data is
     * not cut into small pieces around them.
     */
    public static List<long[]> holes(int fd, long size, long minHole) {
        List<long[]> out = new ArrayList<>();
        try {
            if (Posix.lseek(fd, 0, Posix.SEEK_HOLE) >= size) {
                return out;
            }
            for (long pos = 0; pos < size; ) {
                long data = Posix.lseek(fd, pos, Posix.SEEK_DATA);
                long holeEnd = data < 0 || data > size ? size : data;
                if (holeEnd - pos >= minHole) {
                    out.add(new long[] {pos, holeEnd});
                }
                if (holeEnd >= size) {
                    break;
                }
                long hole = Posix.lseek(fd, holeEnd, Posix.SEEK_HOLE);
                pos = hole < 0 ? size : hole;
            }
        } catch (IOException e) {
            out.clear(); // no SEEK_DATA here (EINVAL): read everything, which is always correct
        }
        return out;
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
