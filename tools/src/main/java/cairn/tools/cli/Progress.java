package cairn.tools.cli;

import cairn.store.fsutil.Posix;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * A one-line progress display on stderr, redrawn four times a second, shown only when stderr is a
 * terminal: under cron the output stays exactly the summary.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;
    private final PrintWriter err;
    private volatile boolean done;
    private final boolean shown;

    Progress(PrintWriter err, Supplier<String> line) {
        this.err = err;
        this.shown = Posix.isTerminal(2) && System.getenv("CAIRN_NO_PROGRESS") == null;
        this.thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done) {
                    err.print("\r\033[K" + line.get());
                    err.flush();
                }
            }
        }, "cairn-progress");
        thread.setDaemon(true);
        if (shown) {
            thread.start();
        }
    }

    @Override
    public void close() {
        done = true;
        if (shown) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\033[K");
            err.flush();
        }
    }
}
