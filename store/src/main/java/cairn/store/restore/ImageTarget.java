package cairn.store.restore;

import cairn.store.fsutil.RawPaths;
import cairn.store.image.CreatableTarget;
import cairn.store.image.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an image restore writes, decided before anything is written. A symlink is followed (disks are
 * named by /dev/disk/by-id/... links) and the real target's type decides: a block device is written in
 * place, a regular file is replaced, a directory receives the image under its own name, and nothing
 * there is created, except in /dev, where a name that does not exist is a mistyped device rather
 * than a file to create in RAM. A character device, FIFO or socket is refused, as {@code sync} does.
 */
public final class ImageTarget {
    private final Path path;
    private final boolean device;

    private ImageTarget(Path path, boolean device) {
        this.path = path;
        this.device = device;
    }

    /** The real path to write: links resolved, the image's name appended for a directory. */
    public Path path() {
        return path;
    }

    public boolean isDevice() {
        return device;
    }

    /** Where {@code given} sends an image whose file, restored into a directory, is called {@code nameInDirectory}. */
    public static ImageTarget of(Path given, byte[] nameInDirectory) throws IOException {
        Path named = given.toAbsolutePath().normalize();
        Path p = followed(named);
        if (Files.isDirectory(p)) {
            named = RawPaths.resolve(p, nameInDirectory);
            p = followed(named);
            if (Files.isDirectory(p)) {
                throw refused(named, p, "a directory");
            }
        }
        if (!Files.exists(p)) {
            return created(p);
        }
        int type = FileType.mode(p) & FileType.S_IFMT;
        if (type == FileType.S_IFBLK) {
            return new ImageTarget(p, true);
        }
        if (type == FileType.S_IFREG) {
            return new ImageTarget(p, false);
        }
        throw refused(named, p, FileType.describe(p));
    }

    /** The path a link leads to; a link to nothing is refused, since what it should name is unknown. */
    private static Path followed(Path p) throws IOException {
        if (!Files.isSymbolicLink(p)) {
            return p;
        }
        if (!Files.exists(p)) {
            throw new IOException("target " + p + " is a symbolic link to " + Files.readSymbolicLink(p)
                    + ", which does not exist");
        }
        return p.toRealPath();
    }

    private static ImageTarget created(Path p) throws IOException {
        CreatableTarget.check(p);
        return new ImageTarget(p, false);
    }

    /** The same wording as {@code sync}'s; a link is named with where it leads. */
    private static IOException refused(Path named, Path real, String what) {
        String target = named.equals(real) ? named.toString() : named + " (a link to " + real + ")";
        return new IOException("target " + target + " is " + what + ", not an image file or block device");
    }
}
