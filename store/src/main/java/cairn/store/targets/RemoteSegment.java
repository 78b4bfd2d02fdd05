package cairn.store.targets;

import cairn.store.segment.PositionalInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A segment's copy on a target, read by position through the {@link BlockCache}: each read fetches at
 * most the blocks it touches, plus read-ahead.
 */
public final class RemoteSegment implements PositionalInput {
    private final TargetStore store;
    private final long targetId;
    private final String name;
    private final long size;
    private final BlockCache cache;

    /** {@code size} is the file's size as recorded when the copy was placed. */
    public RemoteSegment(TargetStore store, long targetId, String name, long size, BlockCache cache) {
        this.store = store;
        this.targetId = targetId;
        this.name = name;
        this.size = size;
        this.cache = cache;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        long block = position / BlockCache.BLOCK;
        int within = (int) (position - block * BlockCache.BLOCK);
        for (int i = 1; i <= BlockCache.READ_AHEAD && (block + i) * BlockCache.BLOCK < size; i++) {
            cache.prefetch(BlockCache.key(targetId, name, block + i), length(block + i), fetcher(block + i));
        }
        return cache.read(BlockCache.key(targetId, name, block), length(block), fetcher(block), dst, within);
    }

    /** Forgets the cached blocks covering {@code [position, position + length)}, after a failed check. */
    public void discard(long position, int length) {
        for (long b = position / BlockCache.BLOCK; b * BlockCache.BLOCK < position + length; b++) {
            cache.discard(BlockCache.key(targetId, name, b));
        }
    }

    private int length(long block) {
        return (int) Math.min(BlockCache.BLOCK, size - block * BlockCache.BLOCK);
    }

    private BlockCache.Fetch fetcher(long block) {
        String path = TargetLayout.segment(name);
        return new BlockCache.Fetch() {
            @Override
            public int fetch(byte[] dst, Runnable progress) throws IOException {
                return store.read(path, block * BlockCache.BLOCK, dst, 0, dst.length, progress);
            }

            @Override
            public long silenceBoundMs() {
                return store.silenceBoundMs();
            }
        };
    }
}
