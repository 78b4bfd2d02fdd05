package cairn.store.restore;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ContentTable;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.concurrent.BoundedPool;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.TemporaryFiles;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings a snapshot's entries back onto disk with their metadata. Each file is written under a
 * temporary name in its directory and renamed into place once whole (contents, owner, mode, times),
 * so an interrupted restore never leaves a truncated file under the real name. Zeros become holes.
 * A restore that fails, or is stopped by a signal (its thread interrupted; from then on nothing takes
 * its real name, see {@link TemporaryFiles}), removes the temporary files it made once its workers
 * have stopped; only one killed outright leaves them, for the next restore into that directory to remove.
 * Work goes through each directory's descriptor ({@link TargetDir}), so trees deeper than PATH_MAX come
 * back whole; a directory gets its metadata once everything in it is done.
 */
public final class Restorer implements AutoCloseable {
    private static final int PAGE = 4096;
    /** Files at least this large are cut into ranges restored in parallel. */
    private static final long SPLIT_AT = 16L << 20;
    /** About how much of a large file one task writes. */
    private static final long RANGE_BYTES = 8L << 20;
    private static final String TMP_PREFIX = ".cairn-restore-";
    private final Repository repo;
    private final BoundedPool pool;
    private final boolean root = Posix.isRoot();
    private final AtomicLong tmpCounter = new AtomicLong();
    private final String tmpPrefix = TMP_PREFIX + ProcessHandle.current().pid() + "-";
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<List<Long>, HardLink> hardLinks = new HashMap<>();
    private final List<Future<Path>> writes = new ArrayList<>();
    private final Set<TargetDir> openDirs = ConcurrentHashMap.newKeySet();
    /** The temporary files made and not yet renamed or removed. */
    private final TemporaryFiles temporary = new TemporaryFiles();

    /**
     * The first name restored of a file with several: later names link to it once it is {@code written}.
     * Its directory is held open until as many names as the file had are linked, or the restore ends.
     */
    private static final class HardLink {
        final TargetDir dir;
        final byte[] name;
        final Future<Path> written;
        int namesLeft;

        HardLink(TargetDir dir, byte[] name, Future<Path> written, int namesLeft) {
            this.dir = dir;
            this.name = name;
            this.written = written;
            this.namesLeft = namesLeft;
        }
    }

    public Restorer(Repository repo, int threads) {
        this.repo = repo;
        this.pool = new BoundedPool("cairn-restore", threads, threads * 8);
    }

    public long files() {
        return files.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /**
     * Restores {@code e} (a directory's contents go into {@code target}, which is created if missing;
     * anything else is written as {@code target}).
     */
    public void restore(Entry e, Path target) throws IOException {
        if (e.type() == EntryType.DIR) {
            Files.createDirectories(target);
            restoreDir(e, TargetDir.open(target, e, root, openDirs));
        } else {
            Path abs = target.toAbsolutePath();
            TargetDir parent = TargetDir.open(abs.getParent(), null, root, openDirs);
            restoreEntry(e, parent, RawPaths.fileName(abs));
            parent.release();
        }
        for (Future<Path> f : writes) {
            await(f);
        }
        writes.clear();
        for (HardLink h : hardLinks.values()) {
            h.dir.release(); // names of it outside what was restored: no more will come
        }
        hardLinks.clear();
    }

    /** Restores what is in {@code dir} into {@code d}, then lets go of the listing's hold on it. */
    private void restoreDir(Entry dir, TargetDir d) throws IOException {
        byte[] after = null;
        while (true) {
            List<Entry> page = repo.catalog().dirs().listPage(dir.subdir(), after, PAGE);
            for (Entry child : page) {
                restoreEntry(child, d, child.name());
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        removeStaleTemporaries(d);
        d.release();
    }

    /** Temporary files of an earlier restore that was killed: never part of any snapshot. */
    private void removeStaleTemporaries(TargetDir d) throws IOException {
        for (byte[] name : d.namesStartingWith(TMP_PREFIX)) {
            String n = new String(name, StandardCharsets.ISO_8859_1);
            if (n.matches("\\.cairn-restore-[0-9]+-[0-9]+") && !n.startsWith(tmpPrefix)) {
                d.unlink(name);
            }
        }
    }

    private void restoreEntry(Entry e, TargetDir d, byte[] name) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted");
        }
        switch (e.type()) {
            case DIR -> restoreDir(e, d.subdir(name, e));
            case FILE -> restoreFile(e, d, name);
            case SYMLINK -> place(d, name, tmp -> {
                d.symlink(e.target(), tmp);
                d.setMetadata(tmp, e);
            });
            default -> place(d, name, tmp -> {
                d.mknod(tmp, e.stMode(), e.rdev());
                d.setMetadata(tmp, e);
            });
        }
    }

    /** Makes something under a temporary name, so nothing half made ever has the real name. */
    private interface Make {
        /** Fails with FileAlreadyExistsException when {@code tmp} is taken. */
        void at(byte[] tmp) throws IOException;
    }

    /** Makes an entry under a fresh temporary name in {@code d}, then renames it to {@code name}. */
    private void place(TargetDir d, byte[] name, Make make) throws IOException {
        byte[] tmp = freshTmp(make);
        TemporaryFiles.Pending made = temporaryIn(d, tmp);
        try {
            made.rename(() -> d.rename(tmp, name));
        } catch (IOException | RuntimeException e) {
            removeQuietly(made, e);
            throw e;
        }
        files.incrementAndGet();
    }

    /** Registers {@code name}, just made in {@code d}: it is renamed, or removed. */
    private TemporaryFiles.Pending temporaryIn(TargetDir d, byte[] name) {
        return temporary.add(() -> d.unlinkIfOpen(name));
    }

    private static void removeQuietly(TemporaryFiles.Pending p, Exception failure) {
        try {
            p.remove();
        } catch (IOException | RuntimeException gone) {
            failure.addSuppressed(gone);
        }
    }

    /** The first fresh temporary name under which {@code make} succeeds. */
    private byte[] freshTmp(Make make) throws IOException {
        while (true) {
            byte[] tmp = (tmpPrefix + tmpCounter.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
            try {
                make.at(tmp);
                return tmp;
            } catch (FileAlreadyExistsException taken) {
                // a leftover of an earlier process that had our pid: step over it (removeStaleTemporaries
                // clears other processes' leftovers)
            }
        }
    }

    private void restoreFile(Entry e, TargetDir d, byte[] name) throws IOException {
        if (e.nlink() > 1) {
            List<Long> key = List.of(e.dev(), e.ino());
            HardLink first = hardLinks.get(key);
            if (first != null) {
                await(first.written);
                place(d, name, tmp -> d.link(first.dir, first.name, tmp));
                if (--first.namesLeft == 0) {
                    hardLinks.remove(key);
                    first.dir.release();
                }
                return;
            }
            d.hold();
            Future<Path> f = startWrite(e, d, name);
            hardLinks.put(key, new HardLink(d, name, f, e.nlink() - 1));
            writes.add(f);
            return;
        }
        writes.add(startWrite(e, d, name));
        if (writes.size() >= 4096) {
            // Keep memory flat on huge trees: the oldest writes are done by now, or nearly.
            for (Future<Path> f : writes) {
                await(f);
            }
            writes.clear();
        }
    }

    /** Queues the writing of file {@code e} as {@code name} in {@code d}, which it holds until done. */
    private Future<Path> startWrite(Entry e, TargetDir d, byte[] name) throws IOException {
        d.hold();
        try {
            return e.size() >= SPLIT_AT ? writeLargeFile(e, d, name) : pool.submit(() -> writeFile(e, d, name));
        } catch (IOException | RuntimeException ex) {
            d.release();
            throw ex;
        }
    }

    /** A new file under a temporary name in {@code d}, its channel, and its registration. */
    private record TmpFile(byte[] name, FileChannel channel, TemporaryFiles.Pending pending) {
    }

    private TmpFile createTmp(TargetDir d) throws IOException {
        FileChannel[] channel = new FileChannel[1];
        byte[] name = freshTmp(tmp -> channel[0] = d.createFile(tmp));
        return new TmpFile(name, channel[0], temporaryIn(d, name));
    }

    /** Cuts a large file into ranges of whole chunks and queues one task per range. */
    private Future<Path> writeLargeFile(Entry e, TargetDir d, byte[] name) throws IOException {
        ChunkList list = repo.catalog().contents().get(e.content()).chunks();
        List<int[]> ranges = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < list.count(); i++) {
            if (list.start(i + 1) - list.start(from) >= RANGE_BYTES || i == list.count() - 1) {
                ranges.add(new int[] {from, i + 1});
                from = i + 1;
            }
        }
        if (ranges.isEmpty()) {
            ranges.add(new int[] {0, 0});
        }
        TmpFile tmp = createTmp(d);
        RangedFile file = new RangedFile(list, tmp.channel(), d.pathOf(name), ranges.size(), new RangedFile.Completion() {
            @Override
            public void complete() throws IOException {
                try {
                    d.setMetadata(tmp.name(), e);
                    tmp.pending().rename(() -> d.rename(tmp.name(), name));
                    files.incrementAndGet();
                    bytes.addAndGet(list.size());
                } finally {
                    d.release();
                }
            }

            @Override
            public void discard() throws IOException {
                try {
                    tmp.pending().remove();
                } finally {
                    d.release();
                }
            }
        });
        for (int i = 0; i < ranges.size(); i++) {
            int[] r = ranges.get(i);
            try {
                pool.submit(() -> {
                    file.writeRange(repo.chunks(), r[0], r[1]);
                    return null;
                });
            } catch (RuntimeException ex) {
                file.abandon(ranges.size() - i, ex);
                break;
            }
        }
        return file.done();
    }

    private Path writeFile(Entry e, TargetDir d, byte[] name) throws IOException {
        try {
            TmpFile tmp = createTmp(d);
            try {
                ContentTable.Content content = repo.catalogOfThread().contents().get(e.content());
                ChunkList list = content.chunks();
                try (FileChannel ch = tmp.channel()) {
                    SparseWriter w = new SparseWriter(ch, d.pathOf(name));
                    for (int i = 0; i < list.count(); i++) {
                        if (list.isHole(i)) {
                            continue; // a hole stays a hole; finish() sets the size past a trailing one
                        }
                        byte[] data = repo.chunks().readOnce(list.id(i));
                        w.write(list.start(i), data, 0, data.length);
                    }
                    w.finish(list.size());
                }
                d.setMetadata(tmp.name(), e);
                tmp.pending().rename(() -> d.rename(tmp.name(), name));
                files.incrementAndGet();
                bytes.addAndGet(list.size());
                return d.pathOf(name);
            } catch (IOException | RuntimeException ex) {
                removeQuietly(tmp.pending(), ex);
                throw ex;
            }
        } finally {
            d.release();
        }
    }

    private static Path await(Future<Path> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }

    /**
     * Stops the workers; after a failed or stopped restore, also removes the temporary files left (a large
     * file whose remaining ranges never ran) and closes the directories it left open.
     */
    @Override
    public void close() {
        pool.close();
        temporary.close();
        for (TargetDir d : List.copyOf(openDirs)) {
            d.close();
        }
    }
}
