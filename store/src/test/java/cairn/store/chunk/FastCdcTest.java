package cairn.store.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FastCDC: sizes within bounds and near the average, and boundaries that survive edits. */
class FastCdcTest {
    @Test
    void chunkSizesStayWithinBoundsAndAverageNearTheTarget() throws IOException {
        checkSizes(Chunks.SMALL, 8 << 20);
        checkSizes(new ChunkerParams(64 << 10, 256 << 10, 1 << 20), 32 << 20);
    }

    private static void checkSizes(ChunkerParams p, int total) throws IOException {
        List<byte[]> chunks = Chunks.split(Chunks.random(p.avg(), total), p);
        for (int i = 0; i < chunks.size() - 1; i++) {
            int n = chunks.get(i).length;
            assertTrue(n >= p.min() && n <= p.max(), "chunk " + i + " has " + n + " bytes, outside " + p);
        }
        assertTrue(chunks.get(chunks.size() - 1).length <= p.max());
        double mean = (double) total / chunks.size();
        assertTrue(mean > 0.75 * p.avg() && mean < 1.5 * p.avg(),
                "mean chunk size " + mean + " is far from the target " + p.avg());
        long atMax = chunks.stream().filter(c -> c.length == p.max()).count();
        assertTrue(atMax < chunks.size() / 20, atMax + " of " + chunks.size() + " chunks were cut at the maximum");
    }

    @Test
    void anInsertionEarlyInAFileMovesOnlyNearbyBoundaries() throws IOException {
        byte[] original = Chunks.random(1, 1 << 20);
        List<byte[]> before = Chunks.split(original, Chunks.SMALL);
        for (int insert : new int[] {1, 7, 100, 5000}) {
            byte[] modified = new byte[original.length + insert];
            System.arraycopy(original, 0, modified, 0, 3000);
            System.arraycopy(Chunks.random(99, insert), 0, modified, 3000, insert);
            System.arraycopy(original, 3000, modified, 3000 + insert, original.length - 3000);
            List<byte[]> after = Chunks.split(modified, Chunks.SMALL);

            Set<ChunkId> old = new HashSet<>(Chunks.ids(before));
            long reused = Chunks.ids(after).stream().filter(old::contains).count();
            // New chunks: the one holding the insertion, a neighbour or two until the cuts realign, and the
            // inserted bytes' own chunks when the insertion is large.
            assertTrue(reused >= after.size() - 3 - insert / Chunks.SMALL.min(),
                    "insert of " + insert + " bytes: only " + reused + " of "
                    + after.size() + " chunks unchanged");
            // Every boundary well past the edit is the old one shifted by the insertion.
            Set<Long> oldCuts = new HashSet<>(Chunks.cuts(before));
            for (long cut : Chunks.cuts(after)) {
                if (cut > 3000 + insert + 2 * Chunks.SMALL.max()) {
                    assertTrue(oldCuts.contains(cut - insert), "boundary at " + cut + " did not realign");
                }
            }
        }
    }

    @Test
    void aDeletionEarlyInAFileMovesOnlyNearbyBoundaries() throws IOException {
        byte[] original = Chunks.random(2, 1 << 20);
        byte[] modified = new byte[original.length - 333];
        System.arraycopy(original, 0, modified, 0, 2000);
        System.arraycopy(original, 2333, modified, 2000, original.length - 2333);
        List<ChunkId> before = Chunks.ids(Chunks.split(original, Chunks.SMALL));
        List<ChunkId> after = Chunks.ids(Chunks.split(modified, Chunks.SMALL));
        long reused = after.stream().filter(new HashSet<>(before)::contains).count();
        assertTrue(reused >= after.size() - 4, reused + " of " + after.size());
    }

    @Test
    void aCutDependsOnlyOnTheBytesNotOnWhereTheyLieInTheBuffer() {
        FastCdc cdc = new FastCdc(Chunks.SMALL);
        byte[] data = Chunks.random(3, 3 * Chunks.SMALL.max());
        int cut = cdc.cut(data, 0, data.length);
        byte[] shifted = new byte[data.length + 777];
        System.arraycopy(data, 0, shifted, 777, data.length);
        assertEquals(cut, cdc.cut(shifted, 777, data.length));
        assertEquals(cut, new FastCdc(Chunks.SMALL).cut(data, 0, data.length), "the gear table must be fixed");
    }

    @Test
    void shortInputIsOneChunkAndNothingExceedsTheMaximum() {
        FastCdc cdc = new FastCdc(Chunks.SMALL);
        byte[] data = Chunks.random(4, 100_000);
        assertEquals(1, cdc.cut(data, 0, 1));
        assertEquals(Chunks.SMALL.min(), cdc.cut(data, 0, Chunks.SMALL.min()));
        byte[] zeros = new byte[100_000];
        int z = cdc.cut(zeros, 0, zeros.length);
        assertTrue(z >= Chunks.SMALL.min() && z <= Chunks.SMALL.max(), "zeros cut at " + z);
    }

    @Test
    void parametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 3000, 16384), "avg not a power of 2");
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(4096, 4096, 16384), "min = avg");
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 4096, 4096), "max = avg");
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(0, 4096, 16384), "min 0");
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(16, 128, 1024), "avg below 256");
        ChunkerParams d = ChunkerParams.DEFAULT;
        assertTrue(d.min() < d.avg() && d.avg() < d.max());
    }
}
