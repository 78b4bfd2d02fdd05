package cairn.tools.cli;

import cairn.fs.mount.FuseMount;
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
        Path mp = resolved(mountPoint);
        String type = MountTable.type(mp);
        if (type == null) {
            throw new MountPointException(mp + " is not mounted");
        }
        if (!type.equals(FuseMount.TYPE)) {
            throw new MountPointException(mp + " is a " + type + " mount, not one of cairn's: use umount(8) if you mean it");
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

    /** The mount point as the mount table spells it: symlinks followed where they still can be. */
    private static Path resolved(Path given) {
        try {
            return given.toRealPath();
        } catch (IOException e) {
            return given.toAbsolutePath().normalize(); // a stale mount cannot be stat'ed
        }
    }
}
