package cairn.fs.mount;

import cairn.fs.fuse.FuseAdapter;
import cairn.fs.fuse.LibFuse2;
import cairn.fs.fuse.ReadOnlyFs;
import cairn.store.fsutil.RawPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One live mount: libfuse's loop on a thread of its own, from {@link #start} until {@link #close} (or
 * an outside {@code fusermount -u}) ends it. Snapshots never change, so the kernel is told to cache
 * freely: entries and attributes for a day, file pages kept across opens, the largest reads libfuse 2
 * allows. Negative lookups are not cached, so a snapshot taken while mounted shows up at once.
 */
public final class FuseMount implements AutoCloseable {
    /** What the mount table calls a cairn mount (fuse with subtype=cairn), and no other. */
    public static final String TYPE = "fuse.cairn";

    /** Mount options; "ro" makes the kernel refuse writes before they reach us. */
    static final String OPTIONS = String.join(",", "ro", "fsname=cairn", "subtype=cairn", "default_permissions",
            "use_ino", "kernel_cache", "entry_timeout=86400", "attr_timeout=86400", "negative_timeout=0",
            "max_read=131072");

    /**
     * Request threads. More than the cores: a request may wait on disk (a segment read, a catalog
     * page) and the next should not wait behind it.
     */
    private static final int WORKERS = 4;

    private final Path mountPoint;
    private final CompletableFuture<Integer> loop;
    private volatile boolean closed;

    private final Consumer<String> log;

    private FuseMount(Path mountPoint, CompletableFuture<Integer> loop, Consumer<String> log) {
        this.mountPoint = mountPoint;
        this.loop = loop;
        this.log = log;
    }

    /**
     * Checks FUSE and the mount point, mounts {@code fs} there and returns once the mount is in the mount
     * table. Unexpected errors inside callbacks go to {@code log}.
     */
    public static FuseMount start(ReadOnlyFs fs, Path dir, Consumer<String> log) throws IOException {
        LibFuse2 lib = Preflight.fuse();
        Path mp = Preflight.mountPoint(dir);
        FuseAdapter adapter = new FuseAdapter(fs, log);
        List<byte[]> options = new ArrayList<>();
        if (Boolean.getBoolean("cairn.fuse.debug")) {
            options.add(ascii("-d")); // libfuse traces every request on stderr
        }
        options.add(ascii("-o"));
        options.add(ascii(OPTIONS));
        byte[] mountPoint = RawPaths.bytes(mp);
        CompletableFuture<Integer> loop = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                loop.complete(adapter.run(lib, mountPoint, options, WORKERS));
            } catch (Throwable e) {
                loop.completeExceptionally(e);
            }
        }, "cairn-fuse-main");
        t.setDaemon(true);
        t.start();
        FuseMount m = new FuseMount(mp, loop, log);
        m.awaitMounted();
        return m;
    }

    private void awaitMounted() throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!MountTable.isMountPoint(mountPoint)) {
            if (loop.isDone()) {
                throw new IOException("cannot mount on " + mountPoint + ": libfuse gave up (status "
                        + loop.getNow(-1) + "; its message is above)");
            }
            if (System.nanoTime() > end) {
                close();
                throw new IOException("mounting on " + mountPoint + " did not finish within 30 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while mounting", e);
            }
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Blocks until the mount ends, by {@link #close} or by someone unmounting it. */
    public void awaitUnmounted() throws InterruptedException {
        try {
            loop.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // The loop ended either way; close() and the caller only need to know that it did.
        }
    }

    public boolean isRunning() {
        return !loop.isDone();
    }

    /** Unmounts (lazily when still busy after a try) and waits for libfuse's loop to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (MountTable.isMountPoint(mountPoint) && !Unmount.run(mountPoint, false)) {
            log.accept("cairn: " + mountPoint + " is busy (a file or directory there is in use): detached lazily;"
                    + " what still had it open reads no more");
            Unmount.run(mountPoint, true);
        }
        try {
            loop.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // The mount is gone from the table; a loop that does not notice is left to die with the JVM.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
