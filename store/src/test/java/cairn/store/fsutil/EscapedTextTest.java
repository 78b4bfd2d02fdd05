package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapedTextTest {
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
        assertEquals(s, EscapedText.decode(utf8));
        assertArrayEquals(utf8, EscapedText.encode(s));
        assertFalse(EscapedText.escaped(s));
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
            String s = EscapedText.decode(raw);
            assertTrue(EscapedText.escaped(s), Names.display(raw));
            assertArrayEquals(raw, EscapedText.encode(s), Names.display(raw));
        }
        String mixed = EscapedText.decode(b('a', 0xe9, 0xc3, 0xa9, 0xe9));
        assertEquals("a\uDCE9\u00e9\uDCE9", mixed, "the valid sequence in the middle stays a character");
    }
}
