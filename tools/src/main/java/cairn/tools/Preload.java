package cairn.tools;

import cairn.store.fsutil.Posix;

/**
 * Loads the native bindings on a second core while the main thread builds the command line's model:
 * sqlite-jdbc unpacks and loads its library (needed first, to open the catalog), jnr-ffi generates its
 * libc binding with ASM (about a quarter of a second on these machines), and zstd-jni unpacks its
 * library. Nearly every command needs all three (progress asks libc whether stderr is a terminal);
 * done here they are off the path to the first block. Class
 * initialisation is thread-safe: a main thread that gets there first waits for it instead of doing it
 * twice. A failure is left for the main thread to meet and report where it needs the library.
 */
final class Preload {
    private Preload() {
    }

    static void start() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return; // nothing to overlap with
        }
        Thread t = new Thread(() -> {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
                Posix.isTerminal(2);
                com.github.luben.zstd.util.Native.load();
            } catch (Throwable ignored) {
                // Reported by the command that needs the library.
            }
        }, "cairn-preload");
        t.setDaemon(true);
        t.start();
    }
}
