package cairn.ingest.hooks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    /**
     * How long a stopped hook's processes get to end on SIGTERM before SIGKILL: an {@code lvcreate} may
     * need a moment to undo what it began, but a hook that ignores SIGTERM must not outlast cairn.
     */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private Hook() {
    }

    /** Runs {@code command} with {@code env} added to cairn's environment; returns its exit status. */
    public static int run(String command, Map<String, String> env, Consumer<String> output) throws IOException {
        return run(command, env, output, null);
    }

    /**
     * As {@link #run(String, Map, Consumer)}, but a command still running after {@code limit} (null: no
     * limit) is stopped with every process it started, which is a {@link TimedOut}; an interrupt stops it
     * the same way, which is a {@link Stopped}. Stopping is SIGTERM, then SIGKILL to what still runs after
     * {@link #STOP_GRACE} (sooner when a second interrupt comes while it waits).
     */
    public static int run(String command, Map<String, String> env, Consumer<String> output, Duration limit)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        // Passed on from a thread of its own, so that waiting for the command can have a limit.
        Thread copier = new Thread(() -> copyLines(p.getInputStream(), output), "cairn-hook-output");
        copier.setDaemon(true);
        copier.start();
        try {
            if (limit == null) {
                p.waitFor();
            } else if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                ProcessTree.stop(p, STOP_GRACE);
                throw new TimedOut("did not finish within " + limit.toSeconds() + " s and was stopped: " + command);
            }
            // The rest of its output, up to the end of the pipe, which a background child may hold open.
            copier.join(limit == null ? 0 : limit.toMillis());
            return p.exitValue();
        } catch (InterruptedException e) {
            ProcessTree.stop(p, STOP_GRACE);
            Thread.currentThread().interrupt();
            Stopped stopped = new Stopped("hook stopped: " + command);
            stopped.initCause(e);
            throw stopped;
        }
    }

    private static void copyLines(InputStream in, Consumer<String> output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.accept(line);
            }
        } catch (IOException e) {
            // The pipe went away with the command; its exit status still says how it went.
        }
    }

    /**
     * The thread running the command was interrupted, and the command stopped: whoever interrupted it knows
     * why, and says so.
     */
    public static final class Stopped extends InterruptedIOException {
        public Stopped(String message) {
            super(message);
        }
    }

    /** The command ran past its limit and was stopped. */
    public static final class TimedOut extends IOException {
        public TimedOut(String message) {
            super(message);
        }
    }
}
