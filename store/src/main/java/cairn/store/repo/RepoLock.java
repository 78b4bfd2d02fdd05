package cairn.store.repo;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The repository's writer lock: an fcntl lock on {@code DIR/lock}, whose content names the holder
 * (host, pid, since) for the message a waiting writer prints. The kernel drops the lock when its
 * process dies, so a stale lock left by a killed writer never blocks the next one.
 *
 * <p>A step that runs inside one holding the lock (a backup and its push inside a backup command that
 * keeps the lock across its hooks) takes another {@link #hold()} on the same lock: an fcntl lock cannot
 * be taken twice by one process, and closing a second descriptor of the file would drop it.
 */
public final class RepoLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    /** Open holds: the step that took the lock and the steps inside it; guarded by this. */
    private int holds = 1;

    private RepoLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, waiting up to {@code wait}; fails naming the holder. */
    public static RepoLock acquire(Path file, Duration wait) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null; // held by this very process
                }
                if (l != null) {
                    writeHolder(ch);
                    return new RepoLock(ch, l);
                }
                if (System.nanoTime() >= deadline) {
                    String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                    throw new RepositoryLockedException("repository is locked by another writer ("
                            + (holder.isEmpty() ? "holder unknown" : holder) + ")" + (wait.isZero()
                            ? "; use --lock-wait SECONDS to wait" : "; waited " + wait.toSeconds() + " s"));
                }
                Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the repository lock", e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void writeHolder(FileChannel ch) throws IOException {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        String text = "host " + host + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
    }

    /** Another hold on this lock, or null when it has been released; the lock goes when every hold is closed. */
    synchronized RepoLock hold() {
        if (holds == 0) {
            return null;
        }
        holds++;
        return this;
    }

    @Override
    public synchronized void close() throws IOException {
        if (holds == 0 || --holds > 0) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another writer holds the repository. */
    public static final class RepositoryLockedException extends IOException {
        public RepositoryLockedException(String message) {
            super(message);
        }
    }
}
