package cairn.store.fsutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes that may not be UTF-8 (file names, command-line arguments, environment values) carried in a
 * Java string without loss: valid UTF-8 is decoded as such, and each other byte becomes the lone
 * surrogate U+DC80 + byte, as Python's "surrogateescape" does. A string with no such character is
 * plain text and encodes back to its UTF-8.
 */
public final class EscapedText {
    private static final char ESCAPE_BASE = 0xDC00;

    private EscapedText() {
    }

    /** UTF-8 where the bytes are valid UTF-8; each other byte becomes U+DC80 + byte. */
    public static String decode(byte[] b) {
        StringBuilder s = new StringBuilder(b.length);
        for (int i = 0; i < b.length; ) {
            int n = validSequence(b, i);
            if (n > 0) {
                s.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            } else {
                s.append((char) (ESCAPE_BASE + (b[i] & 0xFF)));
                i++;
            }
        }
        return s.toString();
    }

    /** The bytes {@code s} stands for: UTF-8, with escaped bytes put back. */
    public static byte[] encode(String s) {
        if (!escaped(s)) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xFF) {
                out.write(cp - ESCAPE_BASE);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    /** Whether {@code s} carries bytes that are not UTF-8 (and so cannot be passed on as plain text). */
    public static boolean escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** The length of the valid UTF-8 sequence at {@code i} (no overlongs, surrogates or code points past U+10FFFF), or 0. */
    static int validSequence(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        int n;
        int min;
        if (lead < 0x80) {
            return 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        int cp = lead & (0xFF >> (n + 1));
        for (int k = 1; k < n; k++) {
            int c = b[i + k] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                return 0;
            }
            cp = cp << 6 | c & 0x3F;
        }
        boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        return cp < min || cp > 0x10FFFF || surrogate ? 0 : n;
    }
}
