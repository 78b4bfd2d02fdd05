package cairn.ingest;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.ListingHash;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Walks a tree depth-first and stores each directory's listing once all its entries are known
 * (children first, since a listing names its subdirectories' ids). A directory's files are handed to
 * the readers before its subdirectories are walked, so reading overlaps walking.
 */
final class TreeWalker {
    private final Catalog catalog;
    private final FileIngester files;
    private final ExcludeRules excludes;
    private final long rootDev;
    private final boolean oneFileSystem;
    private final ReadErrors errors;
    private final BackupStats stats;
    /** The repository's own directory (dev, ino): never backed up into itself. */
    private final List<Long> repoDir;
    /** Files with several links, by (dev, ino): read once, however many names they have. */
    private final Map<List<Long>, Future<FileIngester.Result>> hardLinks = new HashMap<>();

    TreeWalker(Catalog catalog, FileIngester files, ExcludeRules excludes, long rootDev, boolean oneFileSystem,
               ReadErrors errors, BackupStats stats, List<Long> repoDir) {
        this.catalog = catalog;
        this.files = files;
        this.excludes = excludes;
        this.rootDev = rootDev;
        this.oneFileSystem = oneFileSystem;
        this.errors = errors;
        this.stats = stats;
        this.repoDir = repoDir;
    }

    /** One entry being assembled: its stat-based entry and, for a file being read, the pending content. */
    private static final class Slot {
        Entry entry;
        Path path;
        byte[] relative;
        Future<FileIngester.Result> content;
        long parentSubdir;
    }

    /**
     * Stores the listing of {@code dir}, the directory lstat saw as inode {@code ino} of device {@code dev},
     * and everything below it; returns the listing's id.
     *
     * <p>The directory stays open until its files are read: its entries are stat'ed and opened relative
     * to it (fstatat, openat), so a directory above it renamed or swapped for a symlink meanwhile cannot
     * lead the backup elsewhere. One descriptor per level of depth is open at a time.
     */
    long walk(Path dir, byte[] relative, long parentListing, long dev, long ino) throws IOException {
        return walk(UnixCalls.AT_FDCWD, RawPaths.bytes(dir), dir, relative, parentListing, dev, ino);
    }

    /** {@link #walk(Path, byte[], long, long, long)} of {@code name} in the directory open as {@code parentFd}. */
    private long walk(int parentFd, byte[] name, Path dir, byte[] relative, long parentListing, long dev, long ino)
            throws IOException {
        stats.dirs.incrementAndGet();
        UnixCalls.Directory opened;
        try {
            opened = ListedPaths.readDirectory(parentFd, name, dir, dev, ino);
        } catch (IOException e) {
            errors.add(relative.length == 0 ? new byte[] {'.'} : relative, e);
            return emptyListing();
        }
        try (UnixCalls.Directory d = opened) {
            List<byte[]> names = new ArrayList<>(d.names());
            names.sort(Arrays::compareUnsigned);
            List<Slot> slots = new ArrayList<>(names.size());
            ParentCursor parent = new ParentCursor(catalog, parentListing);
            for (byte[] entry : names) {
                Slot s = stat(d, dir, entry, relative, parent);
                if (s != null) {
                    slots.add(s);
                }
            }
            for (Slot s : slots) {
                if (s.entry.type() == EntryType.DIR) {
                    boolean crossesDevice = oneFileSystem && s.entry.dev() != rootDev;
                    long sub = crossesDevice ? emptyListing() : walk(d.fd(), s.entry.name(), s.path, s.relative,
                            s.parentSubdir, s.entry.dev(), s.entry.ino());
                    s.entry = s.entry.withSubdir(sub);
                }
            }
            List<Entry> entries = new ArrayList<>(slots.size());
            for (Slot s : slots) {
                if (s.content != null) {
                    FileIngester.Result r = await(s.content);
                    if (r.error() != null) {
                        errors.add(s.relative, r.error());
                        continue;
                    }
                    s.entry = asRead(s.entry, r.read()).withContent(r.contentId(), r.size());
                }
                entries.add(s.entry);
            }
            return store(entries);
        }
    }

    private Slot stat(UnixCalls.Directory dir, Path dirPath, byte[] name, byte[] dirRelative, ParentCursor parent)
            throws CatalogException {
        byte[] rel = join(dirRelative, name);
        if (excludes.excludes(rel, name)) {
            return null;
        }
        Path child = RawPaths.resolve(dirPath, name);
        FileStat st;
        byte[] target = null;
        try {
            st = FileStat.at(dir.fd(), name, child);
            if (st.type() == EntryType.SYMLINK) {
                target = Posix.readlinkAt(dir.fd(), name, child);
            }
        } catch (IOException e) {
            errors.add(rel, e);
            return null;
        }
        if (st.type() == EntryType.DIR && repoDir.equals(List.of(st.dev(), st.ino()))) {
            return null;
        }
        Slot s = new Slot();
        s.path = child;
        s.relative = rel;
        s.entry = new Entry(name, st.type(), st.mode(), st.uid(), st.gid(),
                st.type() == EntryType.FILE || st.type() == EntryType.SYMLINK ? st.size() : 0, st.mtimeNs(),
                st.ctimeNs(), st.ino(), st.dev(), st.nlink(), st.rdev(), 0, 0, target);
        Entry old = parent.find(name);
        if (st.type() == EntryType.DIR) {
            s.parentSubdir = old != null && old.type() == EntryType.DIR ? old.subdir() : 0;
        } else if (st.type() == EntryType.FILE) {
            stats.bytes.addAndGet(st.size());
            if (unchanged(old, st)) {
                s.entry = s.entry.withContent(old.content(), old.size());
            } else if (st.nlink() > 1) {
                s.content = hardLinks.computeIfAbsent(List.of(st.dev(), st.ino()),
                        k -> files.submit(dir.fd(), name, child, st.size()));
            } else {
                s.content = files.submit(dir.fd(), name, child, st.size());
            }
        }
        if (st.type() != EntryType.DIR) {
            stats.files.incrementAndGet();
        }
        return s;
    }

    /**
     * The entry with the metadata of the file its content was read from. A file saved by renaming a new
     * one over it between the listing and the read is another inode: its bytes were read, so its times,
     * owner and inode are the ones to keep, and the next backup finds it unchanged.
     */
    static Entry asRead(Entry listed, FileStat read) {
        boolean same = read == null || read.ino() == listed.ino() && read.dev() == listed.dev()
                && read.mtimeNs() == listed.mtimeNs() && read.ctimeNs() == listed.ctimeNs();
        if (same) {
            return listed;
        }
        return new Entry(listed.name(), EntryType.FILE, read.mode(), read.uid(), read.gid(), read.size(),
                read.mtimeNs(), read.ctimeNs(), read.ino(), read.dev(), read.nlink(), 0, 0, 0, null);
    }

    /** The parent's content still holds: same inode, size, mtime and ctime. */
    private static boolean unchanged(Entry old, FileStat st) {
        return old != null && old.type() == EntryType.FILE && old.content() != 0 && old.size() == st.size()
                && old.mtimeNs() == st.mtimeNs() && old.ctimeNs() == st.ctimeNs() && old.ino() == st.ino();
    }

    private long store(List<Entry> entries) throws CatalogException {
        byte[] hash = ListingHash.of(entries);
        synchronized (catalog) {
            long id = catalog.dirs().findByHash(hash);
            return id != 0 ? id : catalog.dirs().insert(hash, entries);
        }
    }

    private long emptyListing() throws CatalogException {
        return store(List.of());
    }

    private FileIngester.Result await(Future<FileIngester.Result> f) throws IOException {
        files.flush();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FileIngester.StoreFailure sf) {
                throw sf.io();
            }
            throw new IOException("reading a file failed: " + e.getCause(), e.getCause());
        }
    }

    static byte[] join(byte[] dir, byte[] name) {
        if (dir.length == 0) {
            return name.clone();
        }
        byte[] out = Arrays.copyOf(dir, dir.length + 1 + name.length);
        out[dir.length] = '/';
        System.arraycopy(name, 0, out, dir.length + 1, name.length);
        return out;
    }
}
