package cairn.store.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The one descriptor of a catalog file this process reads outside SQLite, held from the first
 * connection to the file until the last one closes. Closing any descriptor of a file drops every POSIX
 * lock the process holds on it, SQLite's included: a header check that opened and closed the file
 * for each new reader connection left the connections already open unlocked, and the next writer in
 * another process to close believed it was alone, checkpointed, and deleted the write-ahead log they
 * still read (a long-lived mount then saw "database disk image is malformed").
 */
final class CatalogFileHold {
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** By device and inode: one entry per file, whatever path names it. */
    private static final Map<Object, Held> HELD = new HashMap<>();

    private static final class Held {
        final FileChannel channel;
        int users;

        Held(FileChannel channel) {
            this.channel = channel;
        }
    }

    private CatalogFileHold() {
    }

    /**
     * Takes a hold on {@code file} for a connection about to open, after checking that it starts as a
     * SQLite database: SQLite would turn an empty or foreign file into a fresh database on first write
     * (setting WAL mode is one), so a damaged catalog is refused before SQLite ever opens it. Returns
     * the key to {@link #release} when the connection closes.
     */
    static synchronized Object acquire(Path file, boolean checkHeader) throws CatalogException {
        Object key;
        Held held;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            held = HELD.get(key);
            if (held == null) {
                held = new Held(FileChannel.open(file, StandardOpenOption.READ));
            }
        } catch (IOException e) {
            throw new CatalogException("catalog " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (checkHeader) {
            try {
                requireSqliteHeader(file, held.channel);
            } catch (CatalogException e) {
                if (held.users == 0) {
                    closeQuietly(held.channel);
                }
                throw e;
            }
        }
        held.users++;
        HELD.put(key, held);
        return key;
    }

    static synchronized void release(Object key) {
        Held held = HELD.get(key);
        if (held != null && --held.users == 0) {
            HELD.remove(key);
            closeQuietly(held.channel);
        }
    }

    private static void requireSqliteHeader(Path file, FileChannel ch) throws CatalogException {
        ByteBuffer got = ByteBuffer.allocate(SQLITE_HEADER.length);
        try {
            while (got.hasRemaining() && ch.read(got, got.position()) > 0) {
                // a short read only at the end of the file
            }
        } catch (IOException e) {
            throw new CatalogException("catalog " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (got.position() < SQLITE_HEADER.length || !Arrays.equals(SQLITE_HEADER, got.array())) {
            throw new CatalogException("catalog " + file + " is not a SQLite database (" + (got.position() == 0
                    ? "empty file" : "wrong header") + "): the repository's catalog is damaged");
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // a read-only descriptor: nothing was left to flush
        }
    }
}
