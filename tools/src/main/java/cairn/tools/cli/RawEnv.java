package cairn.tools.cli;

import cairn.store.fsutil.EscapedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Environment variables as the bytes they were. The JVM decodes them as it decodes arguments, turning
 * a byte it cannot decode into U+FFFD, so a {@code $CAIRN_REPO} or {@code $HOME} named in Latin-1
 * would point elsewhere. Such a value is read back from {@code /proc/self/environ} and carried as
 * {@link RawArgs} carries arguments; {@link RawArgs#path} turns it into the exact path.
 */
public final class RawEnv {
    private RawEnv() {
    }

    /** The variable's value, or null when it is not set. */
    public static String get(String name) {
        String v = System.getenv(name);
        if (v == null || v.indexOf('\uFFFD') < 0) {
            return v;
        }
        try {
            byte[] key = (name + "=").getBytes(StandardCharsets.US_ASCII);
            for (byte[] entry : RawArgs.split(Files.readAllBytes(Path.of("/proc/self/environ")))) {
                if (entry.length >= key.length && Arrays.equals(entry, 0, key.length, key, 0, key.length)) {
                    return EscapedText.decode(Arrays.copyOfRange(entry, key.length, entry.length));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the value stays as the JVM decoded it
        }
        return v;
    }
}
