package cairn.tools.cli;

import cairn.store.fsutil.RawPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line arguments as the bytes they were. The JVM decodes its arguments with the locale's
 * charset (the launcher makes it UTF-8) and turns a byte it cannot decode into U+FFFD, so {@code cairn
 * backup /data/caf\xe9} would look for a directory that does not exist. The bytes are read back from
 * {@code /proc/self/cmdline}, whose last entries are cairn's own arguments (the launcher execs java
 * with them last), and each byte that is not part of a valid UTF-8 sequence is carried in the string
 * as the lone surrogate U+DC80 + byte (as Python's "surrogateescape" does). {@link #path} and {@link
 * #bytes} turn such a string back into the exact bytes; a string with no such character is plain UTF-8
 * and comes out unchanged.
 */
public final class RawArgs {
    private static final char ESCAPE_BASE = 0xDC00;

    private RawArgs() {
    }

    /**
     * {@code args} with every argument the JVM could not decode rebuilt from its bytes, read as UTF-8
     * (the JVM decodes with the locale's charset, which under cron may be ASCII).
     */
    public static String[] recover(String[] args) {
        boolean lossy = false;
        for (String a : args) {
            lossy |= a.indexOf('\uFFFD') >= 0;
        }
        if (!lossy) {
            return args;
        }
        List<byte[]> raw;
        Charset jvm;
        try {
            raw = split(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            jvm = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IOException | RuntimeException e) {
            return args; // no /proc: the arguments stay as the JVM decoded them
        }
        if (raw.size() < args.length) {
            return args;
        }
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            byte[] b = raw.get(raw.size() - args.length + i);
            if (!new String(b, jvm).equals(args[i])) {
                return args; // not our arguments after all: keep what the JVM gave
            }
            out[i] = decode(b);
        }
        return out;
    }

    /** The path an argument names, byte for byte, with repeated and trailing slashes dropped as Path.of does. */
    public static Path path(String arg) {
        if (!escaped(arg)) {
            return Path.of(arg);
        }
        byte[] b = bytes(arg);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            boolean slash = b[i] == '/';
            if (slash && (i + 1 == b.length && out.size() > 0 || i + 1 < b.length && b[i + 1] == '/')) {
                continue;
            }
            out.write(b[i]);
        }
        return RawPaths.path(out.toByteArray());
    }

    /** The bytes an argument stands for: UTF-8, with escaped bytes put back. */
    public static byte[] bytes(String arg) {
        if (!escaped(arg)) {
            return arg.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(arg.length() + 8);
        for (int i = 0; i < arg.length(); ) {
            int cp = arg.codePointAt(i);
            if (cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xFF) {
                out.write(cp - ESCAPE_BASE);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    /** UTF-8 where the bytes are valid UTF-8; each other byte becomes U+DC80 + byte. */
    static String decode(byte[] b) {
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

    /** The length of the valid UTF-8 sequence at {@code i} (no overlongs, surrogates or code points past U+10FFFF), or 0. */
    private static int validSequence(byte[] b, int i) {
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

    /** Whether {@code s} carries bytes that are not UTF-8 (and so cannot be passed on to another process as a string). */
    public static boolean escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** The NUL-terminated entries of a /proc file such as cmdline or environ. */
    static List<byte[]> split(byte[] cmdline) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                out.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            out.add(Arrays.copyOfRange(cmdline, start, cmdline.length));
        }
        return out;
    }
}
