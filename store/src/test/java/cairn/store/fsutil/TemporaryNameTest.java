package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The temporary names of sync and restore: within NAME_MAX, and recognised only for their own target. */
class TemporaryNameTest {
    private static final Path DIR = Path.of("/srv/images");

    private static byte[] name(Path p) {
        return RawPaths.fileName(p);
    }

    private static String text(Path p) {
        return new String(name(p), StandardCharsets.UTF_8);
    }

    @Test
    void aShortNameIsEmbeddedWhole() {
        String t = text(TemporaryName.of(DIR.resolve("disk.img"), "cairn-sync").fresh());
        assertTrue(t.matches("\\.disk\\.img\\.cairn-sync-[0-9a-f]{16}"), t);
    }

    @Test
    void everyNameUpToTheLongestFitsWithinNameMax() {
        for (int len = 1; len <= TemporaryName.NAME_MAX; len++) {
            for (String tag : new String[] {"cairn-sync", "cairn-restore"}) {
                Path tmp = TemporaryName.of(DIR.resolve("a".repeat(len)), tag).fresh();
                assertTrue(name(tmp).length <= TemporaryName.NAME_MAX, len + " " + tag + ": " + name(tmp).length);
                assertEquals(DIR, tmp.getParent());
            }
        }
    }

    @Test
    void aLongNameIsCutBetweenCharactersAndKeptApartFromItsNeighbours() {
        String e = "\u00e9".repeat(125); // 250 bytes of two-byte characters
        Path a = TemporaryName.of(DIR.resolve(e + "-a"), "cairn-sync").fresh();
        Path b = TemporaryName.of(DIR.resolve(e + "-b"), "cairn-sync").fresh();
        String ta = text(a);
        assertFalse(ta.contains("\ufffd"), "a character was cut in two: " + ta);
        assertTrue(ta.matches("\\.\u00e9+~[0-9a-f]{8}\\.cairn-sync-[0-9a-f]{16}"), ta);
        assertNotEquals(ta.substring(0, ta.length() - 16), text(b).substring(0, text(b).length() - 16));
        assertFalse(TemporaryName.of(DIR.resolve(e + "-a"), "cairn-sync").isOurs(name(b)));
        assertTrue(TemporaryName.of(DIR.resolve(e + "-a"), "cairn-sync").isOurs(name(a)));
    }

    @Test
    void onlyThisTargetsAndThisCommandsNamesAreRecognised() {
        TemporaryName disk = TemporaryName.of(DIR.resolve("disk.img"), "cairn-sync");
        assertTrue(disk.isOurs(name(disk.fresh())));
        assertTrue(disk.isOurs(bytes(".disk.img.cairn-sync-abc123")), "a random part without leading zeros");
        for (String other : new String[] {
                ".disk.img.cairn-sync-",                        // no random part
                ".disk.img.cairn-sync-0123456789abcdef0",       // too long
                ".disk.img.cairn-sync-0123456789ABCDEF",        // not ours: we write lowercase
                ".disk.img.cairn-sync-0123456789abcdeg",
                ".disk.img.cairn-restore-0123456789abcdef",     // restore's
                ".disk.img.x.cairn-sync-0123456789abcdef",      // disk.img.x's
                ".img.cairn-sync-0123456789abcdef",             // img's
                "disk.img",
                ".disk.img.cairn-sync-0123456789abcdef.cairn-sync-0123456789abcdef",
        }) {
            assertFalse(disk.isOurs(bytes(other)), other);
        }
        TemporaryName longer = TemporaryName.of(DIR.resolve("disk.img.cairn-sync-0"), "cairn-sync");
        assertFalse(disk.isOurs(name(longer.fresh())), "a target whose name starts like our temporary names");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
