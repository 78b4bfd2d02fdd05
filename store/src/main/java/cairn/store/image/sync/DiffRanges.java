package cairn.store.image.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Differing blocks, coalesced into runs as they are found in block order. */
final class DiffRanges {
    private final int blockSize;
    private final long sourceSize;
    private final List<BlockRange> ranges = new ArrayList<>();
    private long first = -1;
    private long last = -1;

    DiffRanges(int blockSize, long sourceSize) {
        this.blockSize = blockSize;
        this.sourceSize = sourceSize;
    }

    /** Blocks must come in increasing order. */
    void add(long block) {
        if (first >= 0 && block == last + 1) {
            last = block;
            return;
        }
        flush();
        first = block;
        last = block;
    }

    List<BlockRange> ranges() {
        flush();
        return Collections.unmodifiableList(ranges);
    }

    private void flush() {
        if (first >= 0) {
            long start = first * blockSize;
            long end = Math.min(sourceSize, (last + 1) * blockSize);
            ranges.add(new BlockRange(first, last, start, end - start));
            first = -1;
        }
    }
}
