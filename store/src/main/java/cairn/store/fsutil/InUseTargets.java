package cairn.store.fsutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refusing to write where a mounted file system lives, in the words restore and sync share. Replacing
 * or rewriting an image file behind a mounted loop device is as bad as writing the device: the file
 * system goes on writing to the old inode (or under the new bytes) and is lost either way.
 */
public final class InUseTargets {
    private InUseTargets() {
    }

    /** Refuses {@code device}, a block device node, when it or anything on it is mounted or swap. */
    public static void refuseMountedDevice(Path device) throws IOException {
        Optional<MountedDevices.Use> use = MountedDevices.system().use(device);
        if (use.isPresent()) {
            throw new IOException("refusing to write to " + device + ": " + use.get().describe());
        }
    }

    /** Refuses {@code file}, a regular file, when a loop device attached to it is in use, through any stack of loops. */
    public static void refuseBackingFile(Path file) throws IOException {
        Optional<String> use = MountedDevices.system().useOfBackingFile(file);
        if (use.isPresent()) {
            throw new IOException("refusing to write to " + file + ": " + use.get());
        }
    }
}
