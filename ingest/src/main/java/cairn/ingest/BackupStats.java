package cairn.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running backup, read by progress displays from another thread. */
public final class BackupStats {
    final AtomicLong files = new AtomicLong();
    final AtomicLong dirs = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong filesRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    /** Entries of every kind but directories. */
    public long files() {
        return files.get();
    }

    public long dirs() {
        return dirs.get();
    }

    /** Total size of the regular files seen. */
    public long bytes() {
        return bytes.get();
    }

    /** Files that had to be read (not unchanged since the parent snapshot). */
    public long filesRead() {
        return filesRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long errors() {
        return errors.get();
    }
}
