package cairn.store.fsutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a block device is in use by a mounted file system (or as swap): writing an image onto it
 * would corrupt a live file system under the kernel's feet, so restore refuses.
 */
public final class MountedDevices {
    private MountedDevices() {
    }

    /** The mount point (or "swap") using {@code device}, or null when none does. */
    public static String user(Path device) throws IOException {
        String found = scan(Path.of("/proc/self/mounts"), device, 1);
        return found != null ? found : scan(Path.of("/proc/swaps"), device, -1);
    }

    /** Lines whose first field is a path to the same device; returns field {@code field} (-1: "swap"). */
    private static String scan(Path table, Path device, int field) throws IOException {
        if (!Files.isReadable(table)) {
            return null;
        }
        for (String line : Files.readAllLines(table, StandardCharsets.ISO_8859_1)) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].startsWith("/")) {
                continue;
            }
            Path p = Path.of(f[0].replace("\\040", " "));
            try {
                if (Files.exists(p) && Files.isSameFile(p, device)) {
                    return field < 0 ? "swap" : f[field].replace("\\040", " ");
                }
            } catch (IOException e) {
                // a vanished or unreadable entry names no device of ours
            }
        }
        return null;
    }
}
