package cairn.store.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's tables: what goes in comes out, in the order the rest of cairn relies on. */
class CatalogTablesTest {
    @TempDir
    Path tmp;
    Catalog c;

    @BeforeEach
    void open() throws Exception {
        c = Catalog.create(tmp.resolve("catalog.db"), "test");
    }

    @AfterEach
    void close() {
        c.close();
    }

    private static Entry file(byte[] name, long content) {
        return new Entry(name, EntryType.FILE, 0644, 0, 0, 1, 0, 0, 1, 1, 1, 0, content, 0, null);
    }

    @Test
    void listingsAreSortedAsUnsignedBytesAndFoundByName() throws Exception {
        byte[][] names = {{'b'}, {(byte) 0xff}, {'a', 'b'}, {(byte) 0x80}, {0x7f}, {'a'}, {(byte) 0xc3, (byte) 0xa4}};
        List<Entry> entries = new ArrayList<>();
        for (byte[] n : names) {
            entries.add(file(n, 0));
        }
        entries.sort((x, y) -> Arrays.compareUnsigned(x.name(), y.name()));
        byte[] hash = ListingHash.of(entries);
        long id = c.dirs().insert(hash, entries);
        assertEquals(id, c.dirs().findByHash(hash));
        assertEquals(0, c.dirs().findByHash(new byte[32]));

        List<Entry> back = c.dirs().list(id);
        assertEquals(entries, back, "SQLite must order names exactly as Java's unsigned comparison does");
        assertEquals(entries.get(3), c.dirs().lookup(id, entries.get(3).name()));
        assertNull(c.dirs().lookup(id, new byte[] {'z'}));

        // Paging: pages of 3 after a name, until a short page.
        List<Entry> paged = new ArrayList<>();
        byte[] after = null;
        while (true) {
            List<Entry> page = c.dirs().listPage(id, after, 3);
            paged.addAll(page);
            if (page.size() < 3) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        assertEquals(entries, paged);
    }

    @Test
    void entriesKeepEveryField() throws Exception {
        Entry link = new Entry(new byte[] {'l', (byte) 0xfe}, EntryType.SYMLINK, 0777, 1234, 5678, 3,
                -1_000_000_001L, 99, Long.MAX_VALUE, 77, 1, 0, 0, 0, new byte[] {'t', (byte) 0x80});
        Entry dev = new Entry(new byte[] {'n'}, EntryType.CHAR_DEVICE, 0620, 0, 5, 0, 1, 2, 3, 4, 1, 0x0103, 0, 0,
                null);
        long id = c.dirs().insert(new byte[32], List.of(link, dev));
        assertEquals(List.of(link, dev), c.dirs().list(id));
    }

    @Test
    void contentsAreInternedByTheirChunkList() throws Exception {
        ChunkList.Builder b = new ChunkList.Builder();
        b.add(ChunkId.of(new byte[] {1}), 100);
        b.add(ChunkId.of(new byte[] {2}), 50);
        ChunkList list = b.build();
        long id = c.contents().intern(list);
        assertEquals(id, c.contents().intern(ChunkList.decode(list.encoded().clone())));
        ContentTable.Content back = c.contents().get(id);
        assertEquals(150, back.size());
        assertArrayEquals(list.encoded(), back.chunks().encoded());
        long empty = c.contents().intern(new ChunkList.Builder().build());
        assertNotEquals(id, empty);
        assertEquals(0, c.contents().get(empty).size());
        assertThrows(CatalogException.class, () -> c.contents().get(12345));
        assertEquals(2, c.count("contents"));
    }

    @Test
    void chunksAreRecordedOnceAndLocated() throws Exception {
        long seg = c.segments().insert("00aa", 0, 0);
        ChunkId id = ChunkId.of(new byte[] {9});
        assertTrue(c.chunks().insert(id, seg, 16, 10, 20, Codec.ZSTD));
        assertFalse(c.chunks().insert(id, seg, 999, 1, 1, Codec.RAW), "a known chunk keeps its first location");
        ChunkLocation loc = c.chunks().locate(id);
        assertEquals(new ChunkLocation(id, seg, "00aa", 16, 10, 20, Codec.ZSTD), loc);
        assertTrue(c.chunks().contains(id));
        assertFalse(c.chunks().contains(ChunkId.of(new byte[] {8})));
        assertNull(c.chunks().locate(ChunkId.of(new byte[] {8})));
        List<Long> prefixes = new ArrayList<>();
        c.chunks().forEachPrefix(prefixes::add);
        assertEquals(List.of(id.prefix64()), prefixes);
        c.segments().setSize(seg, 4096, 1);
        assertEquals(4096, c.segments().totalBytes());
    }

    @Test
    void aRolledBackTransactionLeavesNoTrace() throws Exception {
        c.begin();
        c.segments().insert("dead", 1, 1);
        c.rollback();
        assertEquals(0, c.count("segments"));
        c.begin();
        c.segments().insert("live", 1, 1);
        c.commit();
        assertEquals(1, c.count("segments"));
    }

    private Snapshot snap(String name, Snapshot.Status status, String source, Snapshot.Kind kind, long finished) {
        return new Snapshot(0, name, kind, status, null, source.getBytes(), "host", finished - 1, finished, 0, 0, 0755,
                0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void snapshotsResolveByPrefixOrLatest() throws Exception {
        CatalogException none = assertThrows(CatalogException.class, () -> SnapshotResolver.resolve(c, "latest"));
        assertTrue(none.getMessage().contains("no snapshots"), none.getMessage());
        c.snapshots().insert(snap("aaaa1111", Snapshot.Status.COMPLETE, "/src", Snapshot.Kind.TREE, 100));
        c.snapshots().insert(snap("aaaa2222", Snapshot.Status.COMPLETE, "/src", Snapshot.Kind.TREE, 200));
        c.snapshots().insert(snap("bbbb3333", Snapshot.Status.PARTIAL, "/src", Snapshot.Kind.TREE, 300));
        c.snapshots().insert(snap("cccc4444", Snapshot.Status.COMPLETE, "/other", Snapshot.Kind.TREE, 150));

        assertEquals("aaaa2222", SnapshotResolver.resolve(c, "latest").name(), "latest is the newest complete one");
        assertEquals("bbbb3333", SnapshotResolver.resolve(c, "bbbb").name());
        assertEquals("aaaa1111", SnapshotResolver.resolve(c, "AAAA1111").name(), "ids are case-insensitive");
        CatalogException amb = assertThrows(CatalogException.class, () -> SnapshotResolver.resolve(c, "aaaa"));
        assertTrue(amb.getMessage().contains("ambiguous") && amb.getMessage().contains("aaaa1111")
                && amb.getMessage().contains("aaaa2222"), amb.getMessage());
        for (String bad : new String[] {"dddd", "zz", "", "a%", "a_"}) {
            assertThrows(SnapshotResolver.UnknownSnapshotException.class, () -> SnapshotResolver.resolve(c, bad), bad);
        }

        assertEquals("aaaa2222", c.snapshots().latestComplete("/src".getBytes(), Snapshot.Kind.TREE).name(),
                "a partial snapshot is never a parent");
        assertEquals("cccc4444", c.snapshots().latestComplete("/other".getBytes(), Snapshot.Kind.TREE).name());
        assertNull(c.snapshots().latestComplete("/src".getBytes(), Snapshot.Kind.IMAGE));
        assertNull(c.snapshots().latestComplete("/sr".getBytes(), Snapshot.Kind.TREE));
        List<String> order = c.snapshots().all().stream().map(Snapshot::name).toList();
        assertEquals(List.of("aaaa1111", "cccc4444", "aaaa2222", "bbbb3333"), order, "oldest first");
    }

    @Test
    void readErrorsAreKeptPerSnapshotInOrder() throws Exception {
        long a = c.snapshots().insert(snap("aaaa0000", Snapshot.Status.PARTIAL, "/s", Snapshot.Kind.TREE, 1));
        long b = c.snapshots().insert(snap("bbbb0000", Snapshot.Status.PARTIAL, "/s", Snapshot.Kind.TREE, 2));
        c.snapshots().addError(a, new byte[] {'x', (byte) 0xff}, "permission denied");
        c.snapshots().addError(a, "y".getBytes(), "vanished during backup");
        c.snapshots().addError(b, "z".getBytes(), "Input/output error");
        List<SnapshotTable.ReadError> errs = c.snapshots().errors(a);
        assertEquals(2, errs.size());
        assertArrayEquals(new byte[] {'x', (byte) 0xff}, errs.get(0).path());
        assertEquals("permission denied", errs.get(0).reason());
        assertEquals("vanished during backup", errs.get(1).reason());
        assertEquals(1, c.snapshots().errors(b).size());
    }
}
