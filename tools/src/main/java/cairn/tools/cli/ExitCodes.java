package cairn.tools.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Exit statuses scripts rely on: 0 success, 1 failure (one line on stderr), 3 snapshot saved but some
 * sources could not be read, 4 snapshot saved but not yet on every target (the next push finishes). Every exception ends as one "cairn: ..." line; a stack trace only with
 * CAIRN_DEBUG=1.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int PARTIAL = 3;
    /** The snapshot was saved here, but some of its segments could not be placed on their targets. */
    public static final int NOT_PLACED = 4;

    private ExitCodes() {
    }

    public static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        var err = cl.getErr();
        VirtualMachineError fatal = fatalCause(ex);
        if (fatal != null) {
            return handleFatal(fatal, err);
        }
        err.println("cairn: " + message(ex));
        if ("1".equals(System.getenv("CAIRN_DEBUG"))) {
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /**
     * The JVM ran out of heap or stack during a command: one line that says what to change, as for any
     * other failure, not a Java stack trace (which CAIRN_DEBUG=1 still gives).
     */
    public static int handleFatal(VirtualMachineError e, PrintWriter err) {
        long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
        err.println("cairn: " + (e instanceof OutOfMemoryError
                ? "out of memory (the JVM's heap is " + heapMiB + " MiB; give it more with CAIRN_HEAP, e.g. CAIRN_HEAP=1g)"
                : "the JVM failed: " + e));
        if ("1".equals(System.getenv("CAIRN_DEBUG"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /**
     * A worker thread's OutOfMemoryError reaches the command wrapped (a Future's ExecutionException, an
     * IOException around it): it still gets the line that says what to change.
     */
    static VirtualMachineError fatalCause(Throwable ex) {
        // Bounded: a chain of causes may loop back on itself.
        Throwable t = ex;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof VirtualMachineError vm) {
                return vm;
            }
        }
        return null;
    }

    static String message(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException n) {
            return (n.getReason() == null ? "no such file or directory" : n.getReason()) + ": " + n.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (ex instanceof java.nio.file.NotDirectoryException n) {
            return "not a directory: " + n.getFile();
        }
        if (ex instanceof java.nio.file.FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (ex instanceof java.nio.file.FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : ex.getClass().getSimpleName()) + ": " + f.getFile();
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
