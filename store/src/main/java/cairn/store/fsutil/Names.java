package cairn.store.fsutil;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turning raw file-name bytes into text for people and JSON, without losing what they were. */
public final class Names {
    private Names() {
    }

    /** UTF-8 text when the bytes are valid UTF-8, else each invalid byte as \xNN (and a backslash as \\). */
    public static String display(byte[] raw) {
        String s = strictUtf8(raw);
        if (s != null && s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(raw.length + 8);
        int i = 0;
        while (i < raw.length) {
            int len = utf8SequenceLength(raw, i);
            if (len > 0) {
                String part = new String(raw, i, len, StandardCharsets.UTF_8);
                sb.append(part.equals("\\") ? "\\\\" : part);
                i += len;
            } else {
                sb.append(String.format("\\x%02x", raw[i] & 0xff));
                i++;
            }
        }
        return sb.toString();
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

    private static int utf8SequenceLength(byte[] b, int i) {
        int c = b[i] & 0xff;
        int n;
        if (c < 0x80) {
            return 1;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        return strictUtf8(java.util.Arrays.copyOfRange(b, i, i + n)) != null ? n : 0;
    }
}
