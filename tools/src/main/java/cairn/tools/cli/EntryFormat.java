package cairn.tools.cli;

import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.fsutil.Names;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entry as `ls -l` would print it, or as a JSON object. Names are shown with \xNN for invalid UTF-8; on
 * a line also for control characters (a newline in a name must not start another entry), which JSON escapes itself.
 */
final class EntryFormat {
    private EntryFormat() {
    }

    static String longLine(Entry e, String name) {
        String size = switch (e.type()) {
            case CHAR_DEVICE, BLOCK_DEVICE -> (e.rdev() >>> 8 & 0xfff) + ", " + ((e.rdev() & 0xff) | (e.rdev() >>> 12 & 0xfff00));
            default -> Long.toString(e.size());
        };
        String line = String.format("%s %5d %5d %12s %s %s", modeString(e), e.uid(), e.gid(), size,
                Sizes.time(e.mtimeNs()), name);
        if (e.type() == EntryType.SYMLINK) {
            line += " -> " + Names.display(e.target());
        }
        return line;
    }

    static Map<String, Object> json(Entry e, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("name", Names.text(e.name()));
        m.put("type", e.type().name().toLowerCase(java.util.Locale.ROOT));
        m.put("mode", String.format("%04o", e.mode()));
        m.put("uid", e.uid());
        m.put("gid", e.gid());
        m.put("size", e.size());
        m.put("mtime_ns", e.mtimeNs());
        if (e.type() == EntryType.SYMLINK) {
            m.put("target", Names.text(e.target()));
        }
        return m;
    }

    static String modeString(Entry e) {
        char t = switch (e.type()) {
            case DIR -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case SOCKET -> 's';
            case FILE -> '-';
        };
        int m = e.mode();
        StringBuilder sb = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            sb.setCharAt(3, (m & 0100) != 0 ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            sb.setCharAt(6, (m & 010) != 0 ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            sb.setCharAt(9, (m & 01) != 0 ? 't' : 'T');
        }
        return sb.toString();
    }
}
