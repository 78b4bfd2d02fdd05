package cairn.tools.cli;

import cairn.fs.mount.MountTable;
import cairn.fs.mount.MountPointException;
import cairn.fs.mount.Unmount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "umount", description = "End a mount made by 'cairn mount' (also clears a stale one).")
public final class UmountCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Path mp = mountPoint.toAbsolutePath().normalize();
        if (!MountTable.isMountPoint(mp)) {
            throw new MountPointException(mp + " is not mounted");
        }
        if (!Unmount.run(mp, false)) {
            throw new IOException("cannot unmount " + mp + ": it is busy (a process has a file open or its"
                    + " working directory there); close it, or detach lazily with: fusermount -u -z " + mp);
        }
        if (!Unmount.awaitGone(mp, 10_000)) {
            throw new IOException(mp + " is still mounted after 10 s");
        }
        return ExitCodes.OK;
    }
}
