package cairn.store.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether an image target that does not exist may be created, as restore and sync both do with a missing
 * name. Its directory must exist; and in /dev a missing name is a mistyped or vanished device
 * (/dev/sdz, a partition that is not there), not a file to create in the RAM of devtmpfs and report as
 * a successful copy.
 */
public final class CreatableTarget {
    private CreatableTarget() {
    }

    /** Refuses {@code p}, a name that does not exist, with the reason it must not be created. */
    public static void check(Path p) throws IOException {
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(p.toString(), null, "the target's directory does not exist");
        }
        if (inDeviceDirectory(parent)) {
            throw new NoSuchFileException(p.toString(), null, "no such device");
        }
    }

    /**
     * Whether {@code dir} is on the file system of /dev (devtmpfs, or a tmpfs in a container), where
     * only the kernel's device nodes belong; /dev/shm and other mounts below /dev are not.
     */
    private static boolean inDeviceDirectory(Path dir) throws IOException {
        Path dev = Path.of("/dev");
        if (!Files.isDirectory(dev)) {
            return false;
        }
        if ("devtmpfs".equals(Files.getFileStore(dir).type())) {
            return true;
        }
        // Only when /dev is a mount of its own: in a chroot it may be a plain directory of the root.
        long devId = deviceId(dev);
        return devId != deviceId(Path.of("/")) && deviceId(dir) == devId;
    }

    private static long deviceId(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }
}
