package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-memory set of chunk-id prefixes: never a false "certainly new". */
class DedupFilterTest {
    @Test
    void everyAddedKeyIsFoundThroughManyResizes() {
        DedupFilter f = new DedupFilter();
        SplittableRandom r = new SplittableRandom(1);
        Set<Long> added = new HashSet<>();
        for (int i = 0; i < 300_000; i++) {
            long k = r.nextLong();
            f.add(k);
            added.add(k);
        }
        for (long k : added) {
            assertTrue(f.mightContain(k), "lost key " + k);
        }
        assertEquals(added.size(), f.size());
        SplittableRandom other = new SplittableRandom(2);
        for (int i = 0; i < 300_000; i++) {
            long k = other.nextLong();
            if (!added.contains(k)) {
                assertFalse(f.mightContain(k), "a key never added was reported present");
            }
        }
    }

    @Test
    void zeroAndCollidingKeysAreKeys() {
        DedupFilter f = new DedupFilter();
        assertFalse(f.mightContain(0));
        f.add(0);
        assertTrue(f.mightContain(0));
        // Keys whose folded halves are equal land in the same slot.
        long a = 0x0000_0001_0000_0002L;
        long b = 0x0000_0002_0000_0001L;
        f.add(a);
        assertFalse(f.mightContain(b));
        f.add(b);
        assertTrue(f.mightContain(a) && f.mightContain(b));
        f.add(a);
        assertEquals(3, f.size(), "adding a key twice counts it once");
    }

    @Test
    void addsFromSeveralThreadsAreAllKept() throws InterruptedException {
        DedupFilter f = new DedupFilter();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            long seed = t;
            ts[t] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed); // prefixes of SHA-256 ids are uniform
                for (int i = 0; i < 50_000; i++) {
                    f.add(r.nextLong());
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(200_000, f.size());
        for (int t = 0; t < ts.length; t++) {
            SplittableRandom r = new SplittableRandom(t);
            for (int i = 0; i < 50_000; i++) {
                assertTrue(f.mightContain(r.nextLong()));
            }
        }
    }
}
