package cairn.store.fsutil;

import java.sql.SQLException;

/**
 * Whether a failed write failed because its file system is full: ENOSPC or EDQUOT from the kernel (as
 * the JDK words them, in this process's locale), or SQLite's SQLITE_FULL. Such a failure says only "No
 * space left on device"; whoever knows which file was being written adds its name.
 */
public final class DiskFull {
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    private static final int SQLITE_FULL = 13;

    private DiskFull() {
    }

    /** Whether {@code e} or one of its causes says the disk is full. */
    public static boolean is(Throwable e) {
        // Bounded: a chain of causes may loop back on itself.
        Throwable t = e;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (isSqliteFull(t) || (t instanceof java.io.IOException && saysFull(t.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} or one of its causes is SQLite's SQLITE_FULL ("database or disk is full"). */
    public static boolean isSqlite(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (isSqliteFull(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSqliteFull(Throwable t) {
        return t instanceof SQLException s && (s.getErrorCode() & 0xff) == SQLITE_FULL;
    }

    private static boolean saysFull(String message) {
        if (message == null) {
            return false;
        }
        return message.contains("No space left on device") || message.contains("Disk quota exceeded")
                || message.contains(Texts.ENOSPC) || message.contains(Texts.EDQUOT);
    }

    /** The kernel's words for the two errors in this process's locale, looked up once, when first needed. */
    private static final class Texts {
        static final String ENOSPC = text(DiskFull.ENOSPC);
        static final String EDQUOT = text(DiskFull.EDQUOT);

        private static String text(int errno) {
            try {
                String s = Posix.strerror(errno);
                return s == null || s.isBlank() ? "No space left on device" : s;
            } catch (RuntimeException | LinkageError e) {
                return "No space left on device";
            }
        }
    }
}
