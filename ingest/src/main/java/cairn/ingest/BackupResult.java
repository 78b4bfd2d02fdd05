package cairn.ingest;

import cairn.store.catalog.Snapshot;
import java.util.List;

/** A saved snapshot and what could not be read into it. */
public record BackupResult(Snapshot snapshot, List<ReadErrors.ReadError> errors, long newChunks) {
    public boolean partial() {
        return snapshot.status() == Snapshot.Status.PARTIAL;
    }
}
