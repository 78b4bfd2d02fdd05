package cairn.ingest;

import cairn.store.fsutil.Names;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/** What could not be read during a backup, collected from every thread. */
public final class ReadErrors {
    public record ReadError(byte[] path, String reason) {
    }

    private final List<ReadError> errors = new ArrayList<>();
    private final BackupStats stats;

    ReadErrors(BackupStats stats) {
        this.stats = stats;
    }

    synchronized void add(byte[] path, IOException e) {
        add(path, reason(e));
    }

    synchronized void add(byte[] path, String reason) {
        errors.add(new ReadError(path, reason));
        stats.errors.incrementAndGet();
    }

    synchronized List<ReadError> all() {
        return List.copyOf(errors);
    }

    /** One line saying why, without Java class names where a plain word does. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "vanished during backup";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static String show(byte[] path) {
        return Names.display(path);
    }
}
