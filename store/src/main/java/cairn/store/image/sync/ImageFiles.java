package cairn.store.image.sync;

import cairn.store.image.FileType;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** What sync needs to know about an image file or block device, and reading one without short reads. */
final class ImageFiles {
    /**
     * Reads go through the JDK's per-thread temporary direct buffer, which grows to the size of the largest
     * read: reading in pieces keeps that at 1 MiB per thread even with 64 MiB blocks.
     */
    private static final int PIECE = 1 << 20;

    private ImageFiles() {
    }

    static boolean isBlockDevice(Path p) throws IOException {
        return FileType.isBlockDevice(p);
    }

    static boolean isRegularFile(Path p) {
        return Files.isRegularFile(p);
    }

    /** The device number of a block device node (its st_rdev). */
    static long rdev(Path device) throws IOException {
        return (Long) Files.getAttribute(device, "unix:rdev");
    }

    /** Same file, or two nodes of the same block device. */
    static boolean same(Path a, Path b) throws IOException {
        if (!Files.exists(a) || !Files.exists(b)) {
            return false;
        }
        if (Files.isSameFile(a, b)) {
            return true;
        }
        return isBlockDevice(a) && isBlockDevice(b) && rdev(a) == rdev(b);
    }

    /** Fills {@code dst[0, len)} from {@code position}; fails when the file ends first. */
    static void readFully(FileChannel ch, long position, byte[] dst, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int n;
            try {
                n = ch.read(ByteBuffer.wrap(dst, done, Math.min(PIECE, len - done)), position + done);
            } catch (IOException e) {
                throw new IOException("cannot read " + what + " at byte " + (position + done) + ": " + e.getMessage(), e);
            }
            if (n < 0) {
                throw new EOFException(what + " ended at byte " + (position + done) + " while being read: it changed size");
            }
            done += n;
        }
    }

    static void writeFully(FileChannel ch, long position, byte[] src, String what) throws IOException {
        int done = 0;
        while (done < src.length) {
            try {
                done += ch.write(ByteBuffer.wrap(src, done, Math.min(PIECE, src.length - done)), position + done);
            } catch (IOException e) {
                throw new IOException("cannot write " + what + " at byte " + (position + done) + ": " + e.getMessage(), e);
            }
        }
    }

    static String kindOf(Path p) throws IOException {
        return FileType.describe(p);
    }
}
