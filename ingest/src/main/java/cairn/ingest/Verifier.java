package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.fsutil.Names;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import cairn.store.image.DataRegions;
import cairn.store.image.ZeroBlocks;
import cairn.store.repo.ChunkCache;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Does a snapshot hold exactly what a directory holds? Compares names, types, sizes, modes, owners,
 * mtimes, link targets, and every file's bytes, and reports each difference as one line.
 */
public final class Verifier {
    /** A hole the source does not have too is read this much at a time. */
    private static final int ZERO_PIECE = 1 << 20;

    private final Repository repo;
    private final Catalog catalog;
    private final Consumer<String> report;
    private long differences;
    private long filesCompared;

    public Verifier(Repository repo, Consumer<String> report) {
        this.repo = repo;
        this.catalog = repo.catalog();
        this.report = report;
    }

    public long differences() {
        return differences;
    }

    public long filesCompared() {
        return filesCompared;
    }

    /**
     * Compares snapshot directory listing {@code dir} with the directory at {@code source}; a symlink
     * given as the source is followed, as the backup follows one.
     */
    public void compareDir(long dir, Path source, String rel) throws IOException {
        Path real = source.toRealPath();
        FileStat st = FileStat.of(real);
        compareDir(dir, UnixCalls.AT_FDCWD, RawPaths.bytes(real), real, rel, st.dev(), st.ino());
    }

    /**
     * The source directory is walked as the backup walks it, by descriptor (see {@link ListedPaths}): what
     * it holds is stat'ed and opened relative to it, whatever its depth and whatever happens meanwhile.
     */
    private void compareDir(long dir, int parentFd, byte[] name, Path source, String rel, long dev, long ino)
            throws IOException {
        try (UnixCalls.Directory d = ListedPaths.readDirectory(parentFd, name, source, dev, ino)) {
            List<byte[]> children = new ArrayList<>(d.names());
            children.sort(Arrays::compareUnsigned);
            List<Entry> entries = catalog.dirs().list(dir);
            int i = 0;
            int j = 0;
            while (i < entries.size() || j < children.size()) {
                int c = i == entries.size() ? 1 : j == children.size() ? -1
                        : Arrays.compareUnsigned(entries.get(i).name(), children.get(j));
                if (c < 0) {
                    differ(rel, entries.get(i).name(), "in the snapshot, not in the source");
                    i++;
                } else if (c > 0) {
                    differ(rel, children.get(j), "in the source, not in the snapshot");
                    j++;
                } else {
                    compareEntry(entries.get(i), d, RawPaths.resolve(source, children.get(j)), rel);
                    i++;
                    j++;
                }
            }
        }
    }

    private void compareEntry(Entry e, UnixCalls.Directory d, Path p, String rel) throws IOException {
        FileStat st = FileStat.at(d.fd(), e.name(), p);
        String here = rel.isEmpty() ? Names.display(e.name()) : rel + "/" + Names.display(e.name());
        if (st.type() != e.type()) {
            differ(here, "type " + e.type() + " in the snapshot, " + st.type() + " in the source");
            return;
        }
        if (st.mode() != e.mode()) {
            differ(here, String.format("mode %04o in the snapshot, %04o in the source", e.mode(), st.mode()));
        }
        if (st.uid() != e.uid() || st.gid() != e.gid()) {
            differ(here, "owner " + e.uid() + ":" + e.gid() + " in the snapshot, " + st.uid() + ":" + st.gid()
                    + " in the source");
        }
        if (e.type() != EntryType.DIR && e.type() != EntryType.SYMLINK && st.mtimeNs() != e.mtimeNs()) {
            differ(here, "mtime differs");
        }
        switch (e.type()) {
            case DIR -> compareDir(e.subdir(), d.fd(), e.name(), p, here, st.dev(), st.ino());
            case SYMLINK -> {
                byte[] t = Posix.readlinkAt(d.fd(), e.name(), p);
                if (!Arrays.equals(t, e.target())) {
                    differ(here, "link target " + Names.display(e.target()) + " in the snapshot, "
                            + Names.display(t) + " in the source");
                }
            }
            case FILE -> compareFile(e, d, p, here, st.size());
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (st.rdev() != e.rdev()) {
                    differ(here, "device number differs");
                }
            }
            default -> {
            }
        }
    }

    private void compareFile(Entry e, UnixCalls.Directory d, Path p, String here, long size) throws IOException {
        ChunkList list = catalog.contents().get(e.content()).chunks();
        if (list.size() != size) {
            differ(here, "size " + list.size() + " in the snapshot, " + size + " in the source");
            return;
        }
        filesCompared++;
        try (ListedPaths.OpenFile f = ListedPaths.openFile(d.fd(), e.name(), p)) {
            for (int i = 0; i < list.count(); i++) {
                int n = list.length(i);
                boolean same;
                if (list.isHole(i)) {
                    same = zeros(f, list.start(i), n);
                } else {
                    byte[] got = readAt(f.channel(), list.start(i), n);
                    // Compared in the cache, pinned: no copy of every chunk of the tree.
                    try (ChunkCache.Entry want = repo.chunks().pin(list.id(i))) {
                        same = Arrays.equals(want.data(), 0, want.length(), got, 0, got.length);
                    }
                }
                if (!same) {
                    differ(here, "contents differ in bytes " + list.start(i) + ".." + (list.start(i) + n));
                    return;
                }
            }
        }
    }

    /**
     * Whether the source holds {@code n} zero bytes at {@code at}: at once when the file system says it
     * is a hole there too, else read a piece at a time (a hole may be gigabytes long).
     */
    private static boolean zeros(ListedPaths.OpenFile f, long at, long n) throws IOException {
        if (DataRegions.holeAt(f.fd(), at, at + n)) {
            return true;
        }
        for (long done = 0; done < n; ) {
            byte[] got = readAt(f.channel(), at + done, (int) Math.min(ZERO_PIECE, n - done));
            if (got.length == 0 || !ZeroBlocks.isZero(got)) {
                return false;
            }
            done += got.length;
        }
        return true;
    }

    /** Up to {@code n} bytes at {@code at}; fewer only where the file ends. */
    private static byte[] readAt(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
            // until full or the end of the file
        }
        return b.position() == n ? b.array() : Arrays.copyOf(b.array(), b.position());
    }

    private void differ(String rel, byte[] name, String what) {
        differ(rel.isEmpty() ? Names.display(name) : rel + "/" + Names.display(name), what);
    }

    private void differ(String path, String what) {
        differences++;
        report.accept(path + ": " + what);
    }
}
