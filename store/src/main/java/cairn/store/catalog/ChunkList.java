package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The ordered chunks of one file's content, as stored in {@code contents.chunk_list}: for each chunk its
 * 32-byte id and its 4-byte big-endian raw length. Offsets are the running sum of lengths, kept here so
 * a read at any offset finds its chunk by binary search.
 *
 * <p>An item whose id is all zeros ({@link ChunkId#HOLE}) is a hole: that many zero bytes, with no chunk
 * stored. Image snapshots store their all-zero blocks this way; every reader must check {@link #isHole}
 * before looking an id up, since the zero id is in no segment.
 */
public final class ChunkList {
    static final int ITEM = 36;
    private final byte[] encoded;
    private final long[] starts;

    private ChunkList(byte[] encoded) {
        if (encoded.length % ITEM != 0) {
            throw new IllegalArgumentException("chunk list of " + encoded.length + " bytes is not a multiple of " + ITEM);
        }
        this.encoded = encoded;
        int n = encoded.length / ITEM;
        this.starts = new long[n + 1];
        ByteBuffer b = ByteBuffer.wrap(encoded);
        for (int i = 0; i < n; i++) {
            starts[i + 1] = starts[i] + (b.getInt(i * ITEM + 32) & 0xffffffffL);
        }
    }

    public static ChunkList decode(byte[] encoded) {
        return new ChunkList(encoded);
    }

    public int count() {
        return starts.length - 1;
    }

    public long size() {
        return starts[starts.length - 1];
    }

    public ChunkId id(int i) {
        return ChunkId.fromBytes(encoded, i * ITEM);
    }

    /** Whether item {@code i} is a hole: zeros, nothing stored, nothing to look up. */
    public boolean isHole(int i) {
        int at = i * ITEM;
        for (int k = 0; k < ChunkId.LENGTH; k++) {
            if (encoded[at + k] != 0) {
                return false;
            }
        }
        return true;
    }

    public int length(int i) {
        return (int) (starts[i + 1] - starts[i]);
    }

    public long start(int i) {
        return starts[i];
    }

    /** The index of the chunk holding byte {@code offset}; offset must be in [0, size). */
    public int indexOf(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    /** The bytes outside holes: what a copy of the content takes on disk. */
    public long dataBytes() {
        long n = 0;
        for (int i = 0; i < count(); i++) {
            n += isHole(i) ? 0 : length(i);
        }
        return n;
    }

    public byte[] encoded() {
        return encoded;
    }

    /** Accumulates a chunk list while a file is being read. */
    public static final class Builder {
        private byte[] buf = new byte[ITEM * 4];
        private int len;

        public void add(ChunkId id, int rawLength) {
            if (len + ITEM > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            id.copyTo(buf, len);
            ByteBuffer.wrap(buf).putInt(len + 32, rawLength);
            len += ITEM;
        }

        /** A run of {@code rawLength} zero bytes that is not stored. */
        public void addHole(int rawLength) {
            add(ChunkId.HOLE, rawLength);
        }

        public ChunkList build() {
            return new ChunkList(Arrays.copyOf(buf, len));
        }
    }
}
