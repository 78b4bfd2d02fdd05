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
            int len = EscapedText.validSequence(raw, i);
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
}
