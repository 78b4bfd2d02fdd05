package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.chunk.ChunkId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
    private static final int MIB = 1 << 20;

    private static ChunkId id(int n) {
        return ChunkId.of(new byte[] {(byte) n, (byte) (n >> 8)});
    }

    /** Caches chunk n as a buffer filled with n, and unpins it. */
    private static byte[] put(ChunkCache c, int n, int length) {
        byte[] b = c.borrow(length);
        Arrays.fill(b, 0, length, (byte) n);
        c.insert(id(n), b, length).close();
        return b;
    }

    /** By identity, without printing a megabyte of contents on failure. */
    private static void assertSameArray(byte[] expected, byte[] actual, String... why) {
        assertTrue(expected == actual, why.length > 0 ? why[0] : "not the same buffer");
    }

    private static void assertNotSameArray(byte[] unexpected, byte[] actual, String... why) {
        assertTrue(unexpected != actual, why.length > 0 ? why[0] : "the same buffer");
    }

    @Test
    void capacityClassesAreAQuarterOfAPowerOfTwoApart() {
        assertEquals(64 << 10, ChunkCache.capacityClass(1));
        assertEquals(64 << 10, ChunkCache.capacityClass(64 << 10));
        assertEquals(MIB, ChunkCache.capacityClass(MIB));
        assertEquals(MIB + MIB / 4, ChunkCache.capacityClass(MIB + 1));
        assertEquals(655_360, ChunkCache.capacityClass(600_000));
        for (int len = 1; len < 9 * MIB; len += 77_777) {
            int c = ChunkCache.capacityClass(len);
            assertTrue(c >= len && (len <= 64 << 10 || c - len < len / 4), len + " → " + c);
            assertEquals(c, ChunkCache.capacityClass(c), "a class is its own class");
        }
    }

    @Test
    void anEvictedBufferIsReusedForTheNextChunkOfItsClass() {
        ChunkCache c = new ChunkCache(4L * MIB);
        byte[] first = put(c, 1, MIB);
        for (int n = 2; n <= 5; n++) {
            put(c, n, MIB); // the last evicts chunk 1, whose buffer goes to the free list
        }
        assertNull(c.pin(id(1)));
        assertSameArray(first, c.borrow(MIB - 5), "same class, same buffer");
        assertNotSameArray(first, c.borrow(MIB), "the free list had only one");
    }

    @Test
    void aPinnedChunkKeepsItsBytesAfterEvictionUntilUnpinned() {
        ChunkCache c = new ChunkCache(4L * MIB);
        put(c, 1, MIB);
        ChunkCache.Entry held = c.pin(id(1));
        for (int n = 2; n <= 5; n++) {
            put(c, n, MIB); // the last evicts chunk 1 while it is pinned
        }
        byte[] other = c.borrow(MIB);
        assertNotSameArray(held.data(), other, "a pinned buffer is not handed out");
        Arrays.fill(other, (byte) 9);
        for (int i = 0; i < held.length(); i++) {
            assertEquals(1, held.data()[i]);
        }
        byte[] kept = held.data();
        held.close();
        assertSameArray(kept, c.borrow(MIB), "recycled once unpinned");
    }

    @Test
    void aSecondInsertOfTheSameChunkReturnsTheFirstAndRecyclesItsBuffer() {
        ChunkCache c = new ChunkCache(4L * MIB);
        byte[] first = put(c, 1, MIB);
        byte[] dup = c.borrow(MIB);
        try (ChunkCache.Entry e = c.insert(id(1), dup, MIB)) {
            assertSameArray(first, e.data());
        }
        assertSameArray(dup, c.borrow(MIB));
    }

    @Test
    void aChunkLargerThanTheCacheIsServedButNotKept() {
        ChunkCache c = new ChunkCache(MIB);
        byte[] big = c.borrow(2 * MIB);
        try (ChunkCache.Entry e = c.insert(id(7), big, 2 * MIB)) {
            assertSameArray(big, e.data());
        }
        assertNull(c.pin(id(7)));
    }
}
