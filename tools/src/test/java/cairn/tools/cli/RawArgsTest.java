package cairn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.fsutil.RawPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RawArgsTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void validUtf8DecodesAsUsualAndComesBackUnchanged() {
        String s = "caf\u00e9 \u6f22\u5b57 \uD83D\uDE00/x";
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(s, RawArgs.decode(utf8));
        assertArrayEquals(utf8, RawArgs.bytes(s));
        assertFalse(RawArgs.escaped(s));
        assertEquals(Path.of("/a/b"), RawArgs.path("/a//b/"));
    }

    @Test
    void everyByteThatIsNotUtf8RoundTrips() {
        byte[][] cases = {
            b('c', 'a', 'f', 0xe9),                 // Latin-1
            b(0xff, 0xfe, '/', 0x80),               // never valid anywhere
            b(0xc0, 0xaf),                          // overlong '/'
            b(0xed, 0xa0, 0x80),                    // an encoded surrogate
            b(0xe6, 0xbc),                          // a sequence cut short
            b(0xf4, 0x90, 0x80, 0x80),              // past U+10FFFF
            b('a', 0xe9, 0xc3, 0xa9, 0xe9),         // valid and invalid mixed
        };
        for (byte[] raw : cases) {
            String s = RawArgs.decode(raw);
            assertTrue(RawArgs.escaped(s), RawPaths.display(raw));
            assertArrayEquals(raw, RawArgs.bytes(s), RawPaths.display(raw));
        }
        String mixed = RawArgs.decode(b('a', 0xe9, 0xc3, 0xa9, 0xe9));
        assertEquals("a\uDCE9\u00e9\uDCE9", mixed, "the valid sequence in the middle stays a character");
    }

    @Test
    void aPathKeepsItsBytesWithSlashesTidiedAsPathOfDoes() {
        String arg = RawArgs.decode(b('/', 't', '/', '/', 'c', 'a', 'f', 0xe9, '/'));
        assertArrayEquals(b('/', 't', '/', 'c', 'a', 'f', 0xe9), RawPaths.bytes(RawArgs.path(arg)));
        assertArrayEquals(b('/'), RawPaths.bytes(RawArgs.path(RawArgs.decode(b('/', '/')) + "\uDCFF").getParent()));
    }

    @Test
    void argumentsThatWereValidAreLeftAlone() {
        String[] args = {"backup", "/home/ann"};
        assertSame(args, RawArgs.recover(args));
    }
}
