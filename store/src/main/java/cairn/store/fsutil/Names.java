package cairn.store.fsutil;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turning raw file-name bytes into text for people and JSON, without losing what they were.
 *
 * <p>A name is any bytes but {@code /} and NUL: it may hold a newline, a tab, an escape sequence, or
 * bytes that are not UTF-8. {@link #display} is the form for lines of text (ls, find, messages): one
 * name never spans two lines or moves a terminal's cursor, and every name can be told from every
 * other. {@link #text} keeps control characters as they are, for JSON (whose writer escapes them
 * itself) and for matching names against patterns.
 */
public final class Names {
    private Names() {
    }

    /**
     * For a line of text: UTF-8 text where the bytes are valid UTF-8, with each byte that is not, and
     * each byte of a control character (below 0x20, 0x7f, and U+0080 to U+009F), as \xNN, and a
     * backslash as \\. Reading \\ as one backslash and \xNN as that byte gives the name back.
     */
    public static String display(byte[] raw) {
        return escaped(raw, true);
    }

    /**
     * As {@link #display}, but control characters are kept as they are: for JSON, whose writer escapes
     * them, and for matching a name against a glob.
     */
    public static String text(byte[] raw) {
        return escaped(raw, false);
    }

    private static String escaped(byte[] raw, boolean controls) {
        String s = strictUtf8(raw);
        if (s != null && s.indexOf('\\') < 0 && !(controls && hasControl(s))) {
            return s;
        }
        StringBuilder sb = new StringBuilder(raw.length + 8);
        int i = 0;
        while (i < raw.length) {
            int len = EscapedText.validSequence(raw, i);
            if (len > 0) {
                String part = new String(raw, i, len, StandardCharsets.UTF_8);
                if (part.equals("\\")) {
                    sb.append("\\\\");
                } else if (controls && isControl(part.codePointAt(0))) {
                    for (int k = i; k < i + len; k++) {
                        hex(sb, raw[k]);
                    }
                } else {
                    sb.append(part);
                }
                i += len;
            } else {
                hex(sb, raw[i]);
                i++;
            }
        }
        return sb.toString();
    }

    private static void hex(StringBuilder sb, byte b) {
        sb.append(String.format("\\x%02x", b & 0xff));
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** C0 controls (newline, tab, carriage return, escape...), DEL and the C1 controls. */
    private static boolean isControl(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    }

    /** The string if the bytes are valid UTF-8, else null. */
    public static String strictUtf8(byte[] raw) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(raw));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
