package cairn.fs.fuse;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A mounted libfuse 2 file system and the loop that serves it: a fixed set of Java threads, each
 * reading a request from the kernel and processing it (libfuse calls back into {@link FuseAdapter}
 * on that same thread). This is what {@code fuse_loop_mt} does, on threads that stay attached to the
 * JVM, so a callback costs a plain upcall and per-thread state (catalog connections, buffers) lives
 * as long as the mount.
 *
 * <p>Native layout used here (libfuse 2.9, LP64): {@code struct fuse_buf {size_t size; enum flags;
 * void *mem; int fd; off_t pos;}} = size@0, flags@8, mem@16, fd@24, pos@32, 40 bytes.
 */
final class FuseLoop {
    private static final int EINTR = 4;
    private static final int ENODEV = 19;
    private static final int FUSE_BUF_SIZE = 40;

    private final LibFuse2 lib;
    private final Runtime runtime;
    private final Pointer fuse;
    private final Pointer mountPoint;
    private final Pointer session;
    private final Pointer chan;

    private FuseLoop(LibFuse2 lib, Runtime runtime, Pointer fuse, Pointer mountPoint) {
        this.lib = lib;
        this.runtime = runtime;
        this.fuse = fuse;
        this.mountPoint = mountPoint;
        this.session = lib.fuse_get_session(fuse);
        this.chan = lib.fuse_session_next_chan(session, null);
    }

    /**
     * Mounts at {@code mountPoint} with {@code options} (libfuse arguments such as {@code -o ro,...})
     * and creates the file system; null when libfuse refused (it has said why on stderr).
     */
    static FuseLoop mount(LibFuse2 lib, Runtime runtime, byte[] mountPoint, List<byte[]> options, FuseOps ops,
                          long opsSize) {
        List<byte[]> all = new ArrayList<>();
        all.add("cairn".getBytes(StandardCharsets.US_ASCII));
        all.add("-f".getBytes(StandardCharsets.US_ASCII)); // never daemonize: the JVM cannot fork
        all.addAll(options);
        all.add(mountPoint);
        NativeBytes.Argv argv = NativeBytes.argv(runtime, all);
        Pointer mountPointOut = Memory.allocateDirect(runtime, runtime.addressSize(), true);
        Pointer multithreadedOut = Memory.allocateDirect(runtime, 4, true);
        try {
            Pointer fuse = lib.fuse_setup(argv.argc(), argv.array(), ops, opsSize, mountPointOut, multithreadedOut,
                    null);
            if (fuse == null || fuse.address() == 0) {
                return null;
            }
            return new FuseLoop(lib, runtime, fuse, mountPointOut.getPointer(0));
        } finally {
            Reference.reachabilityFence(argv);
        }
    }

    /**
     * Serves requests on {@code threads} threads until the file system is unmounted, then frees
     * libfuse's state. Returns 0 after a clean end, 1 when reading from the kernel failed.
     */
    int serve(int threads, String threadName) {
        int[] status = new int[1];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                if (!work()) {
                    synchronized (status) {
                        status[0] = 1;
                    }
                }
            }, threadName + "-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    // the loop ends when the kernel ends the session, not on an interrupt
                }
            }
        }
        lib.fuse_teardown(fuse, mountPoint);
        synchronized (status) {
            return status[0];
        }
    }

    /** One worker: read a request, process it, until the session ends; false if reading failed. */
    private boolean work() {
        long size = lib.fuse_chan_bufsize(chan);
        Pointer mem = Memory.allocateDirect(runtime, size, false);
        Pointer buf = Memory.allocateDirect(runtime, FUSE_BUF_SIZE, true);
        Pointer chanInOut = Memory.allocateDirect(runtime, runtime.addressSize(), true);
        while (lib.fuse_session_exited(session) == 0) {
            buf.putLong(0, size);
            buf.putInt(8, 0);
            buf.putPointer(16, mem);
            buf.putInt(24, 0);
            buf.putLong(32, 0);
            chanInOut.putPointer(0, chan);
            int res = lib.fuse_session_receive_buf(session, buf, chanInOut);
            if (res == -EINTR) {
                continue;
            }
            if (res <= 0) {
                // 0 or ENODEV: unmounted. Either way this session is over for every worker.
                lib.fuse_session_exit(session);
                return res == 0 || res == -ENODEV;
            }
            lib.fuse_session_process_buf(session, buf, chanInOut.getPointer(0));
        }
        return true;
    }
}
