package cairn.store.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import cairn.store.chunk.ChunkId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A directory listing's address changes whenever anything a restore or an incremental backup uses changes. */
class ListingHashTest {
    private static final Entry BASE = new Entry("name".getBytes(), EntryType.FILE, 0644, 1000, 1000, 1234,
            1_600_000_000_123_456_789L, 1_600_000_001_000_000_000L, 42, 2049, 1, 0, 7, 0, null);

    private static Entry with(UnaryOperator<Object[]> change) {
        Object[] f = {BASE.name(), BASE.type(), BASE.mode(), BASE.uid(), BASE.gid(), BASE.size(), BASE.mtimeNs(),
            BASE.ctimeNs(), BASE.ino(), BASE.dev(), BASE.nlink(), BASE.rdev(), BASE.content(), BASE.subdir(),
            BASE.target()};
        f = change.apply(f);
        return new Entry((byte[]) f[0], (EntryType) f[1], (int) f[2], (int) f[3], (int) f[4], (long) f[5], (long) f[6],
                (long) f[7], (long) f[8], (long) f[9], (int) f[10], (long) f[11], (long) f[12], (long) f[13],
                (byte[]) f[14]);
    }

    private static UnaryOperator<Object[]> set(int field, Object value) {
        return f -> {
            f[field] = value;
            return f;
        };
    }

    @Test
    void everyFieldChangesTheHash() {
        byte[] base = ListingHash.of(List.of(BASE));
        assertArrayEquals(base, ListingHash.of(List.of(with(f -> f))), "equal listings must hash equally");
        List<Entry> variants = List.of(
                with(set(0, "namf".getBytes())),
                with(set(1, EntryType.SYMLINK)),
                with(set(2, 0600)),
                with(set(3, 1001)),
                with(set(4, 1001)),
                with(set(5, 1235L)),
                with(set(6, BASE.mtimeNs() + 1)),
                with(set(7, BASE.ctimeNs() + 1)),
                with(set(8, 43L)),
                with(set(9, 2050L)),
                with(set(10, 2)),
                with(set(11, 0x0103L)),
                with(set(12, 8L)),
                with(set(13, 3L)),
                with(set(14, "target".getBytes())));
        List<byte[]> seen = new ArrayList<>();
        seen.add(base);
        for (int i = 0; i < variants.size(); i++) {
            byte[] h = ListingHash.of(List.of(variants.get(i)));
            for (byte[] s : seen) {
                assertFalse(Arrays.equals(s, h), "changing field " + i + " left the hash equal to another listing's");
            }
            seen.add(h);
        }
    }

    @Test
    void namesAndTargetsAreDelimitedNotConcatenated() {
        Entry ab = with(set(0, "ab".getBytes()));
        Entry abLinkC = with(f -> {
            f[0] = "ab".getBytes();
            f[14] = "c".getBytes();
            return f;
        });
        Entry abcLink = with(set(0, "abc".getBytes()));
        assertFalse(Arrays.equals(ListingHash.of(List.of(abLinkC)), ListingHash.of(List.of(abcLink))));
        assertFalse(Arrays.equals(ListingHash.of(List.of(ab)), ListingHash.of(List.of(abcLink))));
    }

    @Test
    void entriesAddedRemovedOrReorderedChangeTheHash() {
        Entry a = with(set(0, "a".getBytes()));
        Entry b = with(set(0, "b".getBytes()));
        byte[] both = ListingHash.of(List.of(a, b));
        assertFalse(Arrays.equals(both, ListingHash.of(List.of(a))));
        assertFalse(Arrays.equals(both, ListingHash.of(List.of(b, a))));
        assertArrayEquals(ChunkId.newDigest().digest(), ListingHash.of(List.of()), "empty listing: hash of nothing");
        assertEquals(32, both.length);
    }
}
