package cairn.tools.cli;

import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.charset.Charset;
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
            out[i] = EscapedText.decode(b);
        }
        return out;
    }

    /** The path an argument names, byte for byte, with repeated and trailing slashes dropped as Path.of does. */
    public static Path path(String arg) {
        if (!EscapedText.escaped(arg)) {
            return Path.of(arg);
        }
        return RawPaths.parse(EscapedText.encode(arg));
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
