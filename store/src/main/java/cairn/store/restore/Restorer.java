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
    private final Repository repo;
    private final BoundedPool pool;
    private final boolean root = Posix.isRoot();
    private final AtomicLong tmpCounter = new AtomicLong();
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
        String mine = ".cairn-restore-" + ProcessHandle.current().pid() + "-";
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
            Future<Path> f = pool.submit(() -> writeFile(e, path));
            hardLinks.put(key, f);
            writes.add(f);
            return;
        }
        writes.add(pool.submit(() -> writeFile(e, path)));
        if (writes.size() >= 4096) {
            // Keep memory flat on huge trees: the oldest writes are done by now, or nearly.
            for (Future<Path> f : writes) {
                await(f);
            }
            writes.clear();
        }
    }

    private Path writeFile(Entry e, Path path) throws IOException {
        Path tmp = tmpBeside(path);
        try {
            ContentTable.Content content = repo.catalogOfThread().contents().get(e.content());
            ChunkList list = content.chunks();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                SparseWriter w = new SparseWriter(ch);
                for (int i = 0; i < list.count(); i++) {
                    byte[] data = repo.chunks().read(list.id(i));
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

    private Path tmpBeside(Path path) throws IOException {
        Path dir = path.getParent();
        while (true) {
            Path tmp = dir.resolve(".cairn-restore-" + ProcessHandle.current().pid() + "-" + tmpCounter.incrementAndGet());
            if (!Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                return tmp;
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
