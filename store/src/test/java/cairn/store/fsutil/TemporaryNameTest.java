package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The temporary names of sync and restore: within NAME_MAX, and telling targets apart. */
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
    }
}
