package cairn.store.image.sync;

import cairn.store.chunk.ChunkId;
import java.security.MessageDigest;

/**
 * The SHA-256 of the target as the sync leaves it, and of the source when none was recorded, fed in block
 * order from the bytes the pass already holds: for a block that matched, the target's bytes; for one that
 * was written, the source's. So the check needs no second read of either.
 */
final class ResultDigest {
    private final MessageDigest result = ChunkId.newDigest();
    private final MessageDigest source;
    private final byte[] recorded;

    /** {@code recordedSourceSha256}: the source's SHA-256 when known ahead, else null (computed here). */
    ResultDigest(byte[] recordedSourceSha256) {
        this.recorded = recordedSourceSha256;
        this.source = recordedSourceSha256 == null ? ChunkId.newDigest() : null;
    }

    /** The next block: what the target now holds there, and the source's bytes (ignored when recorded). */
    void add(byte[] resultBytes, byte[] sourceBytes) {
        result.update(resultBytes);
        if (source != null) {
            source.update(sourceBytes);
        }
    }

    byte[] result() {
        return result.digest();
    }

    byte[] expected() {
        return recorded != null ? recorded.clone() : source.digest();
    }
}
