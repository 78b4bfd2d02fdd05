package cairn.store.image.sync;

import java.util.List;

/**
 * What a sync did. {@code resultSha256} is the SHA-256 of the target's first {@code size} bytes as they
 * now are, {@code expectedSha256} the source's; a finished (not dry) sync has them equal, or it fails.
 * A dry run writes nothing and computes no digests (both null).
 */
public record SyncReport(long size, int blockSize, long blocksCompared, long blocksWritten, long bytesWritten,
                         List<BlockRange> differing, boolean dryRun, byte[] resultSha256,
                         byte[] expectedSha256, long nanos) {
    /** Blocks that differ: written ones, or in a dry run the ones that would be. */
    public long blocksDiffering() {
        return differing.stream().mapToLong(BlockRange::blocks).sum();
    }
}
