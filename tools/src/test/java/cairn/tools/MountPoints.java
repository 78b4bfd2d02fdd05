package cairn.tools;

import cairn.fs.mount.MountTable;
import cairn.fs.mount.Unmount;
import java.nio.file.Path;

/** Taking a test's FUSE mount down, even when the kernel still finds it busy for a moment. */
final class MountPoints {
    private MountPoints() {
    }

    /** Unmounts {@code mnt} until it is no mount point, lazily after the first tries. */
    static void release(Path mnt) throws Exception {
        for (int i = 0; i < 50 && MountTable.isMountPoint(mnt); i++) {
            Unmount.run(mnt, i > 10);
            Thread.sleep(100);
        }
    }
}
