package cairn.fs.view;

import cairn.fs.fuse.DirSink;
import cairn.fs.fuse.FsException;
import cairn.store.catalog.CatalogException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One open directory being listed. The kernel reads a listing a buffer at a time, each call passing the
 * offset after the last entry it took; the cursor keeps the current page and the name to continue
 * after, so listing 100,000 entries is a walk through pages, not 100,000 restarts. Offsets: 1 after
 * ".", 2 after "..", 2 + k after the k-th child. A seek elsewhere restarts and skips (rare: seekdir).
 * Guarded by its own lock.
 */
final class DirCursor {
    private static final int PAGE = 512;
    private static final byte[] DOT = {'.'};
    private static final byte[] DOTDOT = {'.', '.'};

    private final Node dir;
    private final long dirIno;
    private final Directories dirs;
    private List<Node> page = List.of();
    private int inPage;
    private long position; // the offset after the last child handed out
    private byte[] lastName;
    private boolean exhausted;

    DirCursor(Node dir, Directories dirs) {
        this.dir = dir;
        this.dirIno = Attrs.ino(dir);
        this.dirs = dirs;
    }

    synchronized void list(long offset, DirSink sink) throws CatalogException, FsException {
        if (offset == 0 && !sink.add(DOT, dirIno, Attrs.typeBits(dir), 1)) {
            return;
        }
        // ".." gets this directory's number: libfuse cannot know the parent's, and 0 would hide the entry.
        if (offset <= 1 && !sink.add(DOTDOT, dirIno, Attrs.typeBits(dir), 2)) {
            return;
        }
        long from = Math.max(offset, 2);
        if (from != position + 2 || from == 2) {
            restart();
            skip(from - 2);
        }
        while (true) {
            Node n = next();
            if (n == null) {
                return;
            }
            if (!sink.add(name(n), Attrs.ino(n), Attrs.typeBits(n), position + 3)) {
                return; // not taken: the next call starts with it again
            }
            inPage++;
            position++;
            lastName = name(n);
        }
    }

    private void restart() {
        page = List.of();
        inPage = 0;
        position = 0;
        lastName = null;
        exhausted = false;
    }

    private void skip(long n) throws CatalogException, FsException {
        while (position < n && next() != null) {
            lastName = name(page.get(inPage));
            inPage++;
            position++;
        }
    }

    /** The next child without consuming it, fetching a page when needed; null at the end. */
    private Node next() throws CatalogException, FsException {
        if (inPage < page.size()) {
            return page.get(inPage);
        }
        if (exhausted) {
            return null;
        }
        page = dirs.page(dir, lastName, PAGE);
        inPage = 0;
        if (page.size() < PAGE) {
            exhausted = true;
        }
        return page.isEmpty() ? null : page.get(0);
    }

    static byte[] name(Node n) {
        if (n instanceof Node.Latest) {
            return Directories.LATEST;
        }
        if (n instanceof Node.InSnapshot in) {
            return in.entry().name();
        }
        return "/".getBytes(StandardCharsets.US_ASCII);
    }
}
