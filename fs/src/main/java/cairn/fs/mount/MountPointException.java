package cairn.fs.mount;

import java.io.IOException;

/** The mount point cannot be used (missing, not a directory, not empty, mounted, stale); the message says why. */
public final class MountPointException extends IOException {
    public MountPointException(String message) {
        super(message);
    }
}
