package cairn.fs.mount;

import cairn.store.fsutil.RawPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Whether a directory is a mount point right now, from {@code /proc/self/mountinfo}. */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** True when {@code dir} (an absolute path, no symlinks) is the mount point of some mount. */
    public static boolean isMountPoint(Path dir) {
        return type(dir) != null;
    }

    /**
     * The file system type of the mount on {@code dir} ("fuse.cairn" for cairn's own, "ext4", ...), the
     * last one mounted there when several are; null when nothing is mounted there.
     */
    public static String type(Path dir) {
        byte[] want = RawPaths.bytes(dir.toAbsolutePath().normalize());
        byte[] table;
        try {
            table = Files.readAllBytes(MOUNTINFO);
        } catch (IOException e) {
            return null;
        }
        String type = null;
        int start = 0;
        for (int i = 0; i <= table.length; i++) {
            if (i == table.length || table[i] == '\n') {
                if (Arrays.equals(field(table, start, i, 4), want)) {
                    type = typeOf(table, start, i);
                }
                start = i + 1;
            }
        }
        return type;
    }

    /** The field after the " - " separator (optional fields come before it, as many as there are). */
    private static String typeOf(byte[] b, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if (b[i] == ' ' && b[i + 1] == '-' && b[i + 2] == ' ') {
                return new String(field(b, i + 3, to, 0), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The n-th space-separated field (0-based) of a line, with mountinfo's octal escapes (\040) undone. */
    private static byte[] field(byte[] b, int from, int to, int n) {
        int f = 0;
        int i = from;
        while (i < to && f < n) {
            if (b[i++] == ' ') {
                f++;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (i < to && b[i] != ' ') {
            if (b[i] == '\\' && i + 3 < to) {
                out.write((b[i + 1] - '0') * 64 + (b[i + 2] - '0') * 8 + (b[i + 3] - '0'));
                i += 4;
            } else {
                out.write(b[i++]);
            }
        }
        return out.toByteArray();
    }
}
