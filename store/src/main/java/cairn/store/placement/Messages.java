package cairn.store.placement;

import java.nio.file.FileSystemException;

/** One-line descriptions of I/O errors for reports: file system errors name the file and the reason. */
final class Messages {
    private Messages() {
    }

    static String of(Exception e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName();
            return reason + ": " + f.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
