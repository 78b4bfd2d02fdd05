package cairn.store.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.fsutil.RawPaths;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEEK_DATA finds a sparse file's holes; ranges touching data are never called holes. */
class DataRegionsTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void holesAreFoundAndDataIsNot() throws Exception {
        Path f = tmp.resolve("sparse.img");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(16L * MIB);
            raf.seek(5L * MIB + 100);
            raf.write(new byte[] {1, 2, 3});
            raf.seek(16L * MIB - 1);
            raf.write(7);
        }
        byte[] path = RawPaths.bytes(f);
        assertEquals(16L * MIB, DataRegions.size(path));
        try (DataRegions r = DataRegions.open(path)) {
            assertTrue(r.isHole(0, MIB));
            assertTrue(r.isHole(MIB, 2L * MIB), "inside the hole found by the first call");
            assertTrue(r.isHole(4L * MIB, 5L * MIB));
            assertFalse(r.isHole(5L * MIB, 6L * MIB), "the block holding bytes 5M+100.. has data");
            assertTrue(r.isHole(8L * MIB, 9L * MIB), "a hole after data");
            assertFalse(r.isHole(15L * MIB, 16L * MIB), "the last block holds the last byte");
            assertFalse(r.isHole(4L * MIB, 6L * MIB), "a range reaching into data is not a hole");
        }
    }

    @Test
    void aFileWithoutHolesHasNone() throws Exception {
        Path f = tmp.resolve("dense.img");
        java.nio.file.Files.write(f, new byte[3 * MIB]);
        try (DataRegions r = DataRegions.open(RawPaths.bytes(f))) {
            for (int i = 0; i < 3; i++) {
                assertFalse(r.isHole((long) i * MIB, (long) (i + 1) * MIB), "block " + i);
            }
        }
    }
}
