package cairn.ingest.hooks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A command run around a backup ({@code --pre-hook}, {@code --post-hook}): {@code /bin/sh -c COMMAND},
 * stdin from /dev/null (a hook that waits for input would hang a cron job), its stdout and stderr
 * passed on line by line to {@code output} (cairn's stderr: stdout's last line is the snapshot id).
 */
public final class Hook {
    public static final String SOURCE = "CAIRN_SOURCE";
    public static final String SNAPSHOT = "CAIRN_SNAPSHOT";
    public static final String STATUS = "CAIRN_STATUS";
    public static final String REPO = "CAIRN_REPO";

    private Hook() {
    }

    /** Runs {@code command} with {@code env} added to cairn's environment; returns its exit status. */
    public static int run(String command, Map<String, String> env, Consumer<String> output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.accept(line);
            }
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running hook: " + command, e);
        }
    }
}
