package cairn.ingest.hooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a hook's shell together with every process it started. A hook's work is done by its children (an
 * {@code lvcreate}, a {@code sleep}); SIGTERM to {@code sh} alone leaves them running, reparented to init,
 * while the post-hook tries to clean up after them.
 *
 * <p>The processes are found as the shell's {@link ProcessHandle#descendants() descendants}, not by starting
 * the hook in a process group of its own: that takes setsid(1), which also moves the hook to a new session
 * without cairn's terminal (where a prompt of sudo or cryptsetup in a hook is read), and signalling a
 * group from Java takes running kill(1). A process that detaches itself, as a daemon does, escapes either
 * way. Linux only, like the rest of cairn: a zombie is told apart through {@code /proc}.
 */
final class ProcessTree {
    private static final long POLL_MILLIS = 50;

    private ProcessTree() {
    }

    /**
     * SIGTERM to the shell and then to its descendants; after {@code grace}, SIGKILL to whatever of them
     * still runs. Returns once they ended or were sent SIGKILL; an interrupt cuts the grace short.
     */
    static void stop(Process shell, Duration grace) {
        // Listed before any signal: once the shell dies, its children are init's and no longer its descendants.
        List<ProcessHandle> tree = new ArrayList<>(shell.descendants().toList());
        // The shell first: one that saw its foreground child die of SIGTERM before dying itself would print
        // "Terminated" among cairn's messages.
        shell.destroy();
        tree.forEach(ProcessHandle::destroy);
        tree.add(shell.toHandle());
        if (awaitEnd(tree, grace)) {
            return;
        }
        // A shell that ignores SIGTERM may have started more since.
        List<ProcessHandle> rest = new ArrayList<>(shell.descendants().toList());
        rest.addAll(tree);
        rest.forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
    }

    /** True when every one of {@code processes} ended within {@code limit}. */
    private static boolean awaitEnd(List<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!processes.stream().allMatch(ProcessTree::ended)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Ended, or a zombie: a child whose parent died is reaped by init, and not every init in a container
     * reaps. Java counts a zombie as alive, which would hold every stop for the whole grace period.
     */
    private static boolean ended(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // "pid (name) state ...": the name may hold spaces and parentheses, so look after the last ')'.
            int state = stat.lastIndexOf(')') + 2;
            return state < stat.length() && stat.charAt(state) == 'Z';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
