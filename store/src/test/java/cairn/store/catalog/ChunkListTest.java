package cairn.store.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cairn.store.chunk.ChunkId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A file's chunk list: offsets are running sums, and every byte offset finds the chunk holding it. */
class ChunkListTest {
    private static ChunkId id(int i) {
        return ChunkId.of(new byte[] {(byte) i, (byte) (i >> 8)});
    }

    @Test
    void offsetsAreRunningSumsOfLengths() {
        ChunkList.Builder b = new ChunkList.Builder();
        b.add(id(1), 10);
        b.add(id(2), 20);
        b.add(id(3), 30);
        ChunkList l = b.build();
        assertEquals(3, l.count());
        assertEquals(60, l.size());
        assertEquals(0, l.start(0));
        assertEquals(10, l.start(1));
        assertEquals(30, l.start(2));
        assertEquals(20, l.length(1));
        assertEquals(id(2), l.id(1));
        int[][] expect = {{0, 0}, {9, 0}, {10, 1}, {29, 1}, {30, 2}, {59, 2}};
        for (int[] e : expect) {
            assertEquals(e[1], l.indexOf(e[0]), "offset " + e[0]);
        }
    }

    @Test
    void encodingRoundTripsAndGrowsPastItsFirstBuffer() {
        ChunkList.Builder b = new ChunkList.Builder();
        SplittableRandom r = new SplittableRandom(1);
        int n = 1000;
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 1 + r.nextInt(5_000_000);
            b.add(id(i), lengths[i]);
        }
        ChunkList l = b.build();
        ChunkList back = ChunkList.decode(l.encoded());
        assertArrayEquals(l.encoded(), back.encoded());
        assertEquals(n, back.count());
        long sum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(id(i), back.id(i));
            assertEquals(lengths[i], back.length(i));
            assertEquals(sum, back.start(i));
            sum += lengths[i];
        }
        assertEquals(sum, back.size(), "sizes beyond 2 GiB must not overflow");
        for (int k = 0; k < 2000; k++) {
            long off = r.nextLong(sum);
            int i = back.indexOf(off);
            assertEquals(true, back.start(i) <= off && off < back.start(i) + back.length(i), "offset " + off);
        }
    }

    @Test
    void anEmptyListHoldsNothing() {
        ChunkList l = new ChunkList.Builder().build();
        assertEquals(0, l.count());
        assertEquals(0, l.size());
        assertEquals(0, l.encoded().length);
    }

    @Test
    void aTornEncodingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChunkList.decode(new byte[ChunkList.ITEM + 1]));
    }

    @Test
    void holesAreZeroIdsWithALengthAndNothingElseIsOne() {
        ChunkList.Builder b = new ChunkList.Builder();
        b.add(id(1), 100);
        b.addHole(4096);
        b.add(id(2), 50);
        byte[] almostZero = new byte[32];
        almostZero[31] = 1; // one bit away from the hole marker: a real (if unlikely) id
        b.add(ChunkId.fromBytes(almostZero), 10);
        ChunkList l = ChunkList.decode(b.build().encoded());
        assertEquals(4, l.count());
        assertEquals(false, l.isHole(0));
        assertEquals(true, l.isHole(1));
        assertEquals(false, l.isHole(2));
        assertEquals(false, l.isHole(3));
        assertEquals(ChunkId.HOLE, l.id(1));
        assertEquals(4096, l.length(1));
        assertEquals(100 + 4096 + 50 + 10, l.size());
        assertEquals(1, l.indexOf(100 + 4095));
        assertEquals(2, l.indexOf(100 + 4096));
    }
}
