package cairn.store.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file-type bits of a Unix mode, as stat(2) gives them and as an image snapshot keeps its source's
 * (a device's snapshot is named after the device): the JDK's attributes say "other" for a block device
 * and a FIFO alike.
 */
public final class FileType {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;

    private FileType() {
    }

    public static boolean isBlockDevice(int mode) {
        return (mode & S_IFMT) == S_IFBLK;
    }

    /** The mode of {@code p} itself, type bits included. */
    public static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode");
    }

    public static boolean isBlockDevice(Path p) throws IOException {
        return isBlockDevice(mode(p));
    }
}
