package cairn.store.repo;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The repository's writer lock: an fcntl lock on {@code DIR/lock}, whose content names the holder
 * (host, pid, since) for the message a waiting writer prints. The kernel drops the lock when its
 * process dies, so a stale lock left by a killed writer never blocks the next one.
 *
 * <p>A step that runs inside one holding the lock (a backup and its push inside a backup command that
 * keeps the lock across its hooks) takes another {@link #hold()} on the same lock: an fcntl lock cannot
 * be taken twice by one process, and closing a second descriptor of the file would drop it.
 *
 * <p>For the same reason a second {@link #acquire} in a process that holds the lock must not open the
 * file at all: it finds the holder in {@link #HELD}, keyed by the file's device and inode, and waits on
 * that instead.
 */
public final class RepoLock implements AutoCloseable {
    /** The locks this process holds, by the lock file's {@link BasicFileAttributes#fileKey()}; guarded by itself. */
    private static final Map<Object, RepoLock> HELD = new HashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Object key;
    private final String holder;
    /** Open holds: the step that took the lock and the steps inside it; guarded by this. */
    private int holds = 1;

    private RepoLock(FileChannel channel, FileLock lock, Object key, String holder) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
        this.holder = holder;
    }

    /** Takes the lock, waiting up to {@code wait}; fails naming the holder. */
    public static RepoLock acquire(Path file, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                String busy;
                synchronized (HELD) {
                    RepoLock mine = HELD.get(fileKey(file));
                    if (mine == null) {
                        RepoLock l = tryAcquire(file);
                        if (l != null) {
                            return l;
                        }
                        busy = null;
                    } else {
                        busy = mine.holder;
                    }
                }
                if (System.nanoTime() >= deadline) {
                    String holder = busy != null ? busy : Files.readString(file, StandardCharsets.UTF_8).trim();
                    throw new RepositoryLockedException("repository is locked by another writer ("
                            + (holder.isEmpty() ? "holder unknown" : holder) + ")" + (wait.isZero()
                            ? "; use --lock-wait SECONDS to wait" : "; waited " + wait.toSeconds() + " s"));
                }
                Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the repository lock", e);
        }
    }

    /**
     * One attempt, for a file no lock of this process is on (so closing the descriptor on failure drops
     * nothing): the lock, registered in {@link #HELD}, or null when another process holds it.
     */
    private static RepoLock tryAcquire(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            String holder = writeHolder(ch);
            RepoLock lock = new RepoLock(ch, l, fileKey(file), holder);
            HELD.put(lock.key, lock);
            return lock;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The file's identity (device and inode), or null when it does not exist yet. */
    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String writeHolder(FileChannel ch) throws IOException {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        String text = "host " + host + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return text;
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
        synchronized (HELD) {
            try {
                channel.truncate(0);
                lock.release();
            } finally {
                HELD.remove(key, this);
                channel.close();
            }
        }
    }

    /** Another writer holds the repository. */
    public static final class RepositoryLockedException extends IOException {
        public RepositoryLockedException(String message) {
            super(message);
        }
    }
}
