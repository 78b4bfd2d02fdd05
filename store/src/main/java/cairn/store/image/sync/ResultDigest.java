package cairn.store.image.sync;

import cairn.store.chunk.ChunkId;
import cairn.store.image.ZeroBlocks;
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

    /**
     * The next block, {@code length} bytes: what the target now holds there and the source's bytes (ignored
     * when recorded); null stands for zeros.
     */
    void add(byte[] resultBytes, byte[] sourceBytes, int length) {
        update(result, resultBytes, length);
        if (source != null) {
            update(source, sourceBytes, length);
        }
    }

    private static void update(MessageDigest d, byte[] bytes, int length) {
        if (bytes == null) {
            ZeroBlocks.feed(d, length);
        } else {
            d.update(bytes);
        }
    }

    byte[] result() {
        return result.digest();
    }

    byte[] expected() {
        return recorded != null ? recorded.clone() : source.digest();
    }
}
