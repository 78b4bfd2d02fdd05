package cairn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.RawPaths;
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
    void plainArgumentsMakePlainPaths() {
        assertEquals(Path.of("/a/b"), RawArgs.path("/a//b/"));
    }

    @Test
    void aPathKeepsItsBytesWithSlashesTidiedAsPathOfDoes() {
        String arg = EscapedText.decode(b('/', 't', '/', '/', 'c', 'a', 'f', 0xe9, '/'));
        assertArrayEquals(b('/', 't', '/', 'c', 'a', 'f', 0xe9), RawPaths.bytes(RawArgs.path(arg)));
        assertArrayEquals(b('/'), RawPaths.bytes(RawArgs.path(EscapedText.decode(b('/', '/')) + "\uDCFF").getParent()));
    }

    @Test
    void argumentsThatWereValidAreLeftAlone() {
        String[] args = {"backup", "/home/ann"};
        assertSame(args, RawArgs.recover(args));
    }
}
