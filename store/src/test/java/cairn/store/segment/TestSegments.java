package cairn.store.segment;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.ChunkCodec;
import cairn.store.codec.Codec;
import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds sealed segments for tests and remembers what went in. */
final class TestSegments {
    private TestSegments() {
    }

    record Built(Path file, byte[] segmentId, List<SegmentEntry> entries, List<byte[]> stored, List<byte[]> raw) {
        byte[] bytes() throws IOException {
            return java.nio.file.Files.readAllBytes(file);
        }
    }

    static byte[] segmentId(int seed) {
        byte[] id = new byte[16];
        Arrays.fill(id, (byte) seed);
        id[0] = 0x5e;
        return id;
    }

    /** Seals {@code raws}, each compressed by {@code codec} where that helps. */
    static Built build(Path dir, String name, List<byte[]> raws, ChunkCodec codec) throws IOException {
        List<Codec> codecs = new ArrayList<>();
        List<byte[]> stored = new ArrayList<>();
        for (byte[] r : raws) {
            ChunkCodec.Encoded enc = codec.encode(r, 0, r.length);
            codecs.add(enc.codec());
            stored.add(enc.bytes());
        }
        return build(dir, name, raws, codecs, stored);
    }

    static Built build(Path dir, String name, List<byte[]> raws, List<Codec> codecs, List<byte[]> stored)
            throws IOException {
        byte[] sid = segmentId(7);
        Path fin = dir.resolve(name);
        List<SegmentEntry> entries = new ArrayList<>();
        try (SegmentWriter w = SegmentWriter.create(dir.resolve(name + ".tmp"), sid)) {
            for (int i = 0; i < raws.size(); i++) {
                entries.add(w.append(ChunkId.of(raws.get(i)), codecs.get(i), raws.get(i).length, stored.get(i)));
            }
            w.seal(fin);
        }
        return new Built(fin, sid, entries, stored, raws);
    }

    /** Three tiny records, RAW, ZSTD and an empty RAW one: every byte of it can be flipped quickly. */
    static Built small(Path dir) throws IOException {
        byte[] a = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[200];
        Arrays.fill(b, (byte) 'a');
        byte[] bz = Zstd.compress(b, 3);
        byte[] c = new byte[0];
        return build(dir, "small.seg", List.of(a, b, c), List.of(Codec.RAW, Codec.ZSTD, Codec.RAW), List.of(a, bz, c));
    }
}
