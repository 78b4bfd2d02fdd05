package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.segment.SegmentChecksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TargetStore} must do, run against each implementation. {@code dir} is the local
 * path of the target's root, so the tests can see and damage what the store wrote.
 */
abstract class TargetStoreContract {
    @TempDir
    Path tmp;
    Path dir;
    TargetStore store;

    abstract TargetStore open(Path dir) throws Exception;

    void stop() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        dir = Files.createDirectories(tmp.resolve("target"));
        store = open(dir);
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
        stop();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private Path local(byte[] data) throws IOException {
        return Files.write(tmp.resolve("local-" + Arrays.hashCode(data)), data);
    }

    @Test
    void uploadedBytesArriveWholeWithTheirSizeAndChecksum() throws Exception {
        byte[] data = random(3_000_001, 1); // many write requests, and a last short one
        store.mkdirs("tmp");
        store.upload(local(data), "tmp/a");
        assertEquals(data.length, store.size("tmp/a"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("tmp/a")));
        assertArrayEquals(SegmentChecksum.sha256().digest(data), store.sha256("tmp/a"));
        store.upload(local(new byte[] {1, 2}), "tmp/a");
        assertEquals(2, store.size("tmp/a"), "upload truncates what was there");
    }

    @Test
    void renameReplacesAtomicallyAndMissingThingsAreSaidToBeMissing() throws Exception {
        assertEquals(-1, store.size("nothing"));
        assertEquals(List.of(), store.list("no-dir"));
        store.delete("nothing"); // not an error
        store.mkdirs("segments/ab");
        store.mkdirs("tmp");
        store.upload(local(random(10, 2)), "tmp/x");
        store.upload(local(random(20, 3)), "segments/ab/x.seg");
        store.rename("tmp/x", "segments/ab/x.seg");
        assertEquals(10, store.size("segments/ab/x.seg"));
        assertEquals(-1, store.size("tmp/x"));
        assertEquals(List.of("x.seg"), store.list("segments/ab"));
        store.delete("segments/ab/x.seg");
        assertEquals(-1, store.size("segments/ab/x.seg"));
        assertEquals(-1, store.size("segments"), "a directory is not a file");
    }

    @Test
    void renameWithoutReplacingGivesANameOnlyWhenItIsFree() throws Exception {
        store.mkdirs("tmp");
        store.upload(local(random(10, 5)), "tmp/first");
        store.upload(local(random(20, 6)), "tmp/second");
        assertTrue(store.renameNoReplace("tmp/first", "marker"));
        assertEquals(-1, store.size("tmp/first"), "the old name is gone");
        assertFalse(store.renameNoReplace("tmp/second", "marker"), "the name is taken");
        assertArrayEquals(random(10, 5), Files.readAllBytes(dir.resolve("marker")), "the first file keeps it");
        assertEquals(20, store.size("tmp/second"), "the loser is left where it was");
        java.io.IOException gone = assertThrows(java.io.IOException.class, () -> store.renameNoReplace("tmp/none", "other"));
        assertTrue(gone.getMessage().contains("tmp/none"), gone.getMessage());
        assertEquals(-1, store.size("other"));
    }

    @Test
    void ofManyRacingForOneNameExactlyOneGetsIt() throws Exception {
        store.mkdirs("tmp");
        for (int round = 0; round < 10; round++) {
            int racers = 4;
            for (int i = 0; i < racers; i++) {
                store.upload(local(random(8, 100 * round + i)), "tmp/r" + i);
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
            List<java.util.concurrent.CompletableFuture<Boolean>> race = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String from = "tmp/r" + i;
                String to = "won" + round;
                race.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return store.renameNoReplace(from, to);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            int winner = -1;
            for (int i = 0; i < racers; i++) {
                if (race.get(i).get()) {
                    assertEquals(-1, winner, "round " + round + ": two got the name");
                    winner = i;
                }
            }
            assertTrue(winner >= 0, "round " + round + ": nobody got the name");
            assertArrayEquals(random(8, 100 * round + winner), Files.readAllBytes(dir.resolve("won" + round)));
            for (int i = 0; i < racers; i++) {
                store.delete("tmp/r" + i);
            }
        }
    }

    @Test
    void rangedReadsReturnExactlyTheRangeAndStopAtTheEnd() throws Exception {
        byte[] data = random(5_000_000, 4);
        store.upload(local(data), "f");
        byte[] buf = new byte[1_000_000];
        assertEquals(buf.length, store.read("f", 1_234_567, buf, 0, buf.length));
        assertArrayEquals(Arrays.copyOfRange(data, 1_234_567, 2_234_567), buf);
        byte[] tail = new byte[100];
        assertEquals(40, store.read("f", data.length - 40, tail, 10, 90));
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 40, data.length), Arrays.copyOfRange(tail, 10, 50));
        assertEquals(0, store.read("f", data.length, tail, 0, 10));
        assertThrows(IOException.class, () -> store.read("missing", 0, tail, 0, 10));
        Path copy = tmp.resolve("copy");
        store.download("f", copy);
        assertArrayEquals(data, Files.readAllBytes(copy));
    }

    @Test
    void freeSpaceIsKnown() throws Exception {
        assertTrue(store.freeBytes() > 0, "free bytes " + store.freeBytes());
    }
}
