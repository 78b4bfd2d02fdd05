package cairn.fs.mount;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a FUSE mount the way an unprivileged user can: {@code fusermount -u} (libfuse 2) or
 * {@code fusermount3 -u}, then {@code umount} for root when neither exists; then waits until the
 * mount table no longer lists it.
 */
public final class Unmount {
    private Unmount() {
    }

    /** Unmounts; with {@code lazy} a busy mount is detached now and goes away when last used. */
    public static boolean run(Path mountPoint, boolean lazy) {
        String p = mountPoint.toString();
        List<List<String>> tries = lazy
                ? List.of(List.of("fusermount", "-u", "-z", p), List.of("fusermount3", "-u", "-z", p), List.of("umount", "-l", p))
                : List.of(List.of("fusermount", "-u", p), List.of("fusermount3", "-u", p), List.of("umount", p));
        for (List<String> cmd : tries) {
            if (exec(cmd)) {
                return true;
            }
            if (!MountTable.isMountPoint(mountPoint)) {
                return true;
            }
        }
        return false;
    }

    /** Waits up to {@code millis} for the mount to disappear from the mount table. */
    public static boolean awaitGone(Path mountPoint, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (MountTable.isMountPoint(mountPoint)) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static boolean exec(List<String> cmd) {
        try {
            Process pr = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!pr.waitFor(30, TimeUnit.SECONDS)) {
                pr.destroyForcibly();
                return false;
            }
            return pr.exitValue() == 0;
        } catch (IOException e) {
            return false; // not installed: try the next way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
