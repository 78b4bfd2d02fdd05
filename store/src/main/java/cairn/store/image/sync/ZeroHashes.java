package cairn.store.image.sync;

import cairn.store.chunk.ChunkId;
import cairn.store.image.ZeroBlocks;
import java.security.MessageDigest;

/**
 * The SHA-256 of an all-zero block, half of a typical disk image, computed once per length (a full
 * block and the shorter last one): a zero block is recognised by a vectorised compare, far cheaper
 * than hashing it.
 */
final class ZeroHashes {
    private final int blockSize;
    private final byte[] fullHash;
    private final int lastLength;
    private final byte[] lastHash;

    ZeroHashes(int blockSize, int lastLength) {
        this.blockSize = blockSize;
        this.fullHash = ofZeros(blockSize);
        this.lastLength = lastLength;
        this.lastHash = ofZeros(lastLength);
    }

    /** SHA-256 of {@code length} zero bytes. */
    byte[] hash(int length) {
        if (length == blockSize) {
            return fullHash;
        }
        if (length == lastLength) {
            return lastHash;
        }
        return ofZeros(length);
    }

    private static byte[] ofZeros(long length) {
        MessageDigest d = ChunkId.newDigest();
        ZeroBlocks.feed(d, length);
        return d.digest();
    }
}
