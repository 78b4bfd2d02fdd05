package cairn.tools.cli;

import cairn.ingest.hooks.Hook;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A backup's {@code --post-hook}: the command, the environment it gets, and a failure reported as one
 * line on stderr. {@code CAIRN_STATUS} is the snapshot's own status ({@code complete}, {@code partial}),
 * {@link #FAILED} when there is none, or {@link #INTERRUPTED} after a signal. {@code CAIRN_SNAPSHOT} names
 * the snapshot whenever one was committed, also when a signal then cut short the push to targets.
 */
final class PostHook {
    /** The backup failed, or the pre-hook did. */
    static final String FAILED = "failed";
    /**
     * SIGTERM or SIGINT stopped the run. Kept also when the snapshot was already committed (the push was
     * stopped): the snapshot is then named, but its copies on the targets may be missing.
     */
    static final String INTERRUPTED = "interrupted";

    private final String command;
    private final Map<String, String> env;
    private final PrintWriter err;

    /** {@code env}: what every hook gets (the source, the repository). */
    PostHook(String command, Map<String, String> env, PrintWriter err) {
        this.command = command;
        this.env = env;
        this.err = err;
    }

    /**
     * Runs it, for at most {@code limit} (null: no limit); false when it failed, which is reported. An
     * interrupt stops it, with all it started, as a {@link Hook.Stopped} for the interrupter to report.
     */
    boolean run(String snapshot, String status, Duration limit) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put(Hook.SNAPSHOT, snapshot);
        all.put(Hook.STATUS, status);
        int code;
        try {
            code = Hook.run(command, all, err::println, limit);
        } catch (Hook.TimedOut e) {
            report("post-hook " + e.getMessage());
            return false;
        }
        if (code != 0) {
            report("post-hook failed with exit status " + code + ": " + command);
            return false;
        }
        return true;
    }

    /** Reports that it was stopped, and {@code how}: "stopped by ...", "did not finish ... and was stopped". */
    void reportStopped(String how) {
        report("post-hook " + how + ": " + command);
    }

    /** One line on stderr, flushed: it may be the last thing a process ending on a signal prints. */
    void report(String problem) {
        err.println("cairn: " + problem);
        err.flush();
    }
}
