package cairn.fs.mount;

import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        try (CommandPath named = CommandPath.of(mountPoint)) {
            String p = named.value;
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
        } catch (IOException e) {
            return false; // no temporary name could be made for it: it stays mounted, and the caller says so
        }
    }

    /**
     * The mount point as a string that a command can be given. A name that is not valid UTF-8 does not
     * survive a Java string; a symlink with a plain name to it does, followed by "/." so that fusermount
     * resolves the whole path (it takes a last component as given) and finds the mount in the table.
     */
    private record CommandPath(String value, Path link) implements AutoCloseable {
        static CommandPath of(Path mountPoint) throws IOException {
            String s = mountPoint.toString();
            if (Arrays.equals(RawPaths.bytes(Path.of(s)), RawPaths.bytes(mountPoint))) {
                return new CommandPath(s, null);
            }
            Path dir = Files.createTempDirectory("cairn-umount");
            Path link = Files.createSymbolicLink(dir.resolve("mountpoint"), mountPoint.toAbsolutePath());
            return new CommandPath(link + "/.", link);
        }

        @Override
        public void close() throws IOException {
            if (link != null) {
                Files.deleteIfExists(link);
                Files.deleteIfExists(link.getParent());
            }
        }
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
