package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainUtf8IsShownAsItIs() {
        assertEquals("caf\u00e9 r\u00e9sum\u00e9.odt", Names.display(utf8("caf\u00e9 r\u00e9sum\u00e9.odt")));
    }

    @Test
    void invalidBytesAndBackslashesAreEscaped() {
        assertEquals("a\\xffb\\\\c", Names.display(new byte[] {'a', (byte) 0xff, 'b', '\\', 'c'}));
        assertEquals("a\\xffb\\\\c", Names.text(new byte[] {'a', (byte) 0xff, 'b', '\\', 'c'}));
    }

    /** A name on a line of its own stays on it: every control character is shown as the bytes it is. */
    @Test
    void controlCharactersAreEscapedForLinesOnly() {
        byte[] name = utf8("new\nline\ttab\rcr\u007fdel\u001besc\u0085nel");
        assertEquals("new\\x0aline\\x09tab\\x0dcr\\x7fdel\\x1besc\\xc2\\x85nel", Names.display(name));
        assertEquals("new\nline\ttab\rcr\u007fdel\u001besc\u0085nel", Names.text(name));
        for (int b = 1; b < 0x20; b++) {
            assertEquals(String.format("\\x%02x", b), Names.display(new byte[] {(byte) b}));
        }
        // Printable text beyond ASCII is not a control character.
        assertEquals("\u00a0\u2603", Names.display(utf8("\u00a0\u2603")));
    }
}
