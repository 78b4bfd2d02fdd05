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
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFSOCK = 0140000;

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

    /**
     * What {@code p} is, following links, for a message that refuses it: "a regular file", "a block
     * device", "a character device", "a FIFO", "a socket", "a directory", or "missing".
     */
    public static String describe(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "missing";
        }
        return switch (mode(p) & S_IFMT) {
            case S_IFREG -> "a regular file";
            case S_IFBLK -> "a block device";
            case S_IFDIR -> "a directory";
            case S_IFCHR -> "a character device";
            case S_IFIFO -> "a FIFO";
            case S_IFSOCK -> "a socket";
            default -> "a special file";
        };
    }
}
