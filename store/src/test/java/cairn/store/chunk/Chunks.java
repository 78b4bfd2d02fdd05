package cairn.store.chunk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test helpers: random data and the chunks a chunker makes of it. */
final class Chunks {
    static final ChunkerParams SMALL = new ChunkerParams(1024, 4096, 16384);

    private Chunks() {
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static List<byte[]> split(byte[] data, ChunkerParams p) throws IOException {
        return split(new ByteArrayInputStream(data), p);
    }

    static List<byte[]> split(InputStream in, ChunkerParams p) throws IOException {
        ChunkStream s = new ChunkStream(in, new FastCdc(p));
        List<byte[]> out = new ArrayList<>();
        for (byte[] c = s.next(); c != null; c = s.next()) {
            out.add(c);
        }
        return out;
    }

    static List<ChunkId> ids(List<byte[]> chunks) {
        List<ChunkId> out = new ArrayList<>();
        for (byte[] c : chunks) {
            out.add(ChunkId.of(c));
        }
        return out;
    }

    /** Cut offsets: the end of every chunk. */
    static List<Long> cuts(List<byte[]> chunks) {
        List<Long> out = new ArrayList<>();
        long at = 0;
        for (byte[] c : chunks) {
            at += c.length;
            out.add(at);
        }
        return out;
    }
}
