package cairn.tools.cli;

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
            byte[] env = Files.readAllBytes(Path.of("/proc/self/environ"));
            byte[] key = (name + "=").getBytes(StandardCharsets.US_ASCII);
            for (int start = 0; start < env.length; ) {
                int end = start;
                while (end < env.length && env[end] != 0) {
                    end++;
                }
                if (end - start >= key.length && Arrays.equals(env, start, start + key.length, key, 0, key.length)) {
                    return RawArgs.decode(Arrays.copyOfRange(env, start + key.length, end));
                }
                start = end + 1;
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the value stays as the JVM decoded it
        }
        return v;
    }
}
