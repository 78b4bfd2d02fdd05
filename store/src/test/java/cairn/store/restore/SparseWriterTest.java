package cairn.store.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.repo.Require;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeros become holes; every other byte lands where it belongs, and the size is exact. */
class SparseWriterTest {
    @TempDir
    Path tmp;

    static long allocated(Path p) throws IOException {
        // st_blocks is in 512-byte units whatever the file system's block size.
        Process pr = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        return Long.parseLong(new String(pr.getInputStream().readAllBytes()).trim()) * 512;
    }

    private Path write(String name, long size, long[] offsets, byte[][] pieces) throws IOException {
        Path f = tmp.resolve(name);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            SparseWriter w = new SparseWriter(ch);
            for (int i = 0; i < pieces.length; i++) {
                w.write(offsets[i], pieces[i], 0, pieces[i].length);
            }
            w.finish(size);
        }
        return f;
    }

    private void requireHoles() throws IOException {
        Path probe = tmp.resolve("probe");
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), 64 << 20);
        }
        Require.that(allocated(probe) < (1 << 20), "the temporary directory's file system does not keep holes");
    }

    @Test
    void zeroBlocksAreLeftAsHoles() throws IOException {
        requireHoles();
        byte[] data = new byte[16 << 20];
        byte[] head = new byte[5000];
        new SplittableRandom(1).nextBytes(head);
        System.arraycopy(head, 0, data, 0, head.length);
        System.arraycopy(head, 0, data, data.length - 3000, 3000);
        Path f = write("f", data.length, new long[] {0}, new byte[][] {data});
        assertArrayEquals(data, Files.readAllBytes(f));
        assertTrue(allocated(f) < (1 << 20), allocated(f) + " bytes allocated for 8 KB of data");
    }

    @Test
    void piecesAtUnalignedOffsetsAndATrailingHoleKeepTheExactSize() throws IOException {
        byte[] a = new byte[10_000];
        byte[] b = new byte[9_999];
        new SplittableRandom(2).nextBytes(a);
        new SplittableRandom(3).nextBytes(b);
        java.util.Arrays.fill(a, 4096, 8192, (byte) 0); // a zero block inside a piece
        long size = 10_000 + 9_999 + 1_000_003;
        Path f = write("g", size, new long[] {0, 10_000, 20_000 - 1}, new byte[][] {a, b, new byte[1_000_003]});
        assertEquals(size, Files.size(f));
        byte[] back = Files.readAllBytes(f);
        assertArrayEquals(a, java.util.Arrays.copyOfRange(back, 0, 10_000));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(back, 10_000, 19_999));
        for (int i = 19_999; i < back.length; i++) {
            if (back[i] != 0) {
                throw new AssertionError("byte " + i + " should be zero");
            }
        }
    }

    @Test
    void allZerosAndEmptyFiles() throws IOException {
        Path zeros = write("zeros", 1 << 20, new long[] {0}, new byte[][] {new byte[1 << 20]});
        assertEquals(1 << 20, Files.size(zeros));
        assertArrayEquals(new byte[1 << 20], Files.readAllBytes(zeros));
        Path empty = write("empty", 0, new long[0], new byte[0][]);
        assertEquals(0, Files.size(empty));
    }
}
