package cairn.store.restore;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.ContentTable;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.concurrent.BoundedPool;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings a snapshot's entries back onto disk with their metadata. Each file is written under a
 * temporary name in its directory and renamed into place once whole (contents, owner, mode, times),
 * so an interrupted restore never leaves a truncated file under the real name. Zeros become holes.
 * Directories get their metadata last, deepest first, after everything inside them exists.
 */
public final class Restorer implements AutoCloseable {
    private static final int PAGE = 4096;
    /** Files at least this large are cut into ranges restored in parallel. */
    private static final long SPLIT_AT = 16L << 20;
    /** About how much of a large file one task writes. */
    private static final long RANGE_BYTES = 8L << 20;
    private final Repository repo;
    private final BoundedPool pool;
    private final boolean root = Posix.isRoot();
    private final AtomicLong tmpCounter = new AtomicLong();
    private final String tmpPrefix = ".cairn-restore-" + ProcessHandle.current().pid() + "-";
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<List<Long>, Future<Path>> hardLinks = new HashMap<>();
    private final List<Future<Path>> writes = new ArrayList<>();
    private final Deque<DirMeta> dirMeta = new ArrayDeque<>();

    private record DirMeta(Path path, Entry entry) {
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
            restoreDir(e, target);
        } else {
            restoreEntry(e, target);
        }
        for (Future<Path> f : writes) {
            await(f);
        }
        while (!dirMeta.isEmpty()) {
            DirMeta d = dirMeta.pop();
            applyMetadata(RawPaths.bytes(d.path()), d.entry());
        }
    }

    private void restoreDir(Entry dir, Path path) throws IOException {
        byte[] after = null;
        while (true) {
            List<Entry> page = repo.catalog().dirs().listPage(dir.subdir(), after, PAGE);
            for (Entry child : page) {
                restoreEntry(child, RawPaths.resolve(path, child.name()));
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        removeStaleTemporaries(path);
        dirMeta.push(new DirMeta(path, dir));
    }

    /** Temporary files of an earlier restore that was killed: never part of any snapshot. */
    private void removeStaleTemporaries(Path dir) throws IOException {
        String mine = tmpPrefix;
        try (var ds = Files.newDirectoryStream(dir, ".cairn-restore-*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.matches("\\.cairn-restore-[0-9]+-[0-9]+") && !n.startsWith(mine)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void restoreEntry(Entry e, Path path) throws IOException {
        switch (e.type()) {
            case DIR -> {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(path);
                    Files.createDirectory(path);
                }
                restoreDir(e, path);
            }
            case FILE -> restoreFile(e, path);
            case SYMLINK -> {
                Path tmp = tmpBeside(path);
                Files.createSymbolicLink(tmp, RawPaths.path(e.target()));
                applyMetadata(RawPaths.bytes(tmp), e);
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                files.incrementAndGet();
            }
            default -> {
                Path tmp = tmpBeside(path);
                Posix.mknod(RawPaths.bytes(tmp), e.stMode(), e.rdev());
                applyMetadata(RawPaths.bytes(tmp), e);
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                files.incrementAndGet();
            }
        }
    }

    private void restoreFile(Entry e, Path path) throws IOException {
        if (e.nlink() > 1) {
            List<Long> key = List.of(e.dev(), e.ino());
            Future<Path> first = hardLinks.get(key);
            if (first != null) {
                Path existing = await(first);
                Path tmp = tmpBeside(path);
                Files.createLink(tmp, existing);
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                files.incrementAndGet();
                return;
            }
            Future<Path> f = startWrite(e, path);
            hardLinks.put(key, f);
            writes.add(f);
            return;
        }
        writes.add(startWrite(e, path));
        if (writes.size() >= 4096) {
            // Keep memory flat on huge trees: the oldest writes are done by now, or nearly.
            for (Future<Path> f : writes) {
                await(f);
            }
            writes.clear();
        }
    }

    private Future<Path> startWrite(Entry e, Path path) throws IOException {
        return e.size() >= SPLIT_AT ? writeLargeFile(e, path) : pool.submit(() -> writeFile(e, path));
    }

    /** Cuts a large file into ranges of whole chunks and queues one task per range. */
    private Future<Path> writeLargeFile(Entry e, Path path) throws IOException {
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
        TmpFile tmp = createTmpBeside(path);
        RangedFile file = new RangedFile(list, tmp.channel(), tmp.path(), path, ranges.size(), t -> {
            applyMetadata(RawPaths.bytes(t), e);
            Files.move(t, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            files.incrementAndGet();
            bytes.addAndGet(list.size());
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

    private Path writeFile(Entry e, Path path) throws IOException {
        TmpFile created = createTmpBeside(path);
        Path tmp = created.path();
        try {
            ContentTable.Content content = repo.catalogOfThread().contents().get(e.content());
            ChunkList list = content.chunks();
            try (FileChannel ch = created.channel()) {
                SparseWriter w = new SparseWriter(ch);
                for (int i = 0; i < list.count(); i++) {
                    if (list.isHole(i)) {
                        continue; // a hole stays a hole; finish() sets the size past a trailing one
                    }
                    byte[] data = repo.chunks().readOnce(list.id(i));
                    w.write(list.start(i), data, 0, data.length);
                }
                w.finish(list.size());
            }
            applyMetadata(RawPaths.bytes(tmp), e);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            files.incrementAndGet();
            bytes.addAndGet(list.size());
            return path;
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
    }

    /** Owner first (chown clears set-id bits), then mode, then times (which chmod would not touch). */
    private void applyMetadata(byte[] path, Entry e) throws IOException {
        if (root) {
            Posix.lchown(path, e.uid(), e.gid());
        }
        if (e.type() != EntryType.SYMLINK) {
            Posix.chmod(path, e.mode());
        }
        Posix.setTimes(path, e.mtimeNs(), e.mtimeNs());
    }

    private Path tmpBeside(Path path) {
        Path dir = path.getParent();
        while (true) {
            Path tmp = dir.resolve(tmpPrefix + tmpCounter.incrementAndGet());
            if (!Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                return tmp;
            }
        }
    }

    private record TmpFile(Path path, FileChannel channel) {
    }

    /**
     * A new empty file under a temporary name beside {@code path}. Creating it exclusively is the
     * check for a leftover of an earlier process that had our pid, so the hot path costs one open.
     */
    private TmpFile createTmpBeside(Path path) throws IOException {
        Path dir = path.getParent();
        while (true) {
            Path tmp = dir.resolve(tmpPrefix + tmpCounter.incrementAndGet());
            try {
                return new TmpFile(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException taken) {
                // step over it; removeStaleTemporaries clears other processes' leftovers
            }
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

    @Override
    public void close() {
        pool.close();
    }
}
