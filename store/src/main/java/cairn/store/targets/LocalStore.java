package cairn.store.targets;

import cairn.store.fsutil.AtomicFiles;
import cairn.store.fsutil.Names;
import cairn.store.fsutil.NoReplaceRename;
import cairn.store.fsutil.RawPaths;
import cairn.store.segment.SegmentChecksum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A target on a local file system: another disk, a USB drive, an NFS mount. */
public final class LocalStore implements TargetStore {
    private final Path root;

    private LocalStore(Path root) {
        this.root = root;
    }

    /** The directory must exist: a missing one usually means an unmounted disk, which must not be filled in its stead. */
    public static LocalStore open(Path root) throws TargetUnavailableException {
        if (!Files.isDirectory(root)) {
            throw new TargetUnavailableException("target directory " + Names.display(RawPaths.bytes(root)) + " does not exist (is the disk mounted?)");
        }
        return new LocalStore(root);
    }

    private Path file(String path) {
        return root.resolve(path);
    }

    @Override
    public String describe() {
        return Names.display(RawPaths.bytes(root));
    }

    @Override
    public long size(String path) throws IOException {
        Path p = file(path);
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public void upload(Path local, String path) throws IOException {
        try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(file(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, out);
            }
            out.force(true);
        }
    }

    @Override
    public byte[] sha256(String path) throws IOException {
        return SegmentChecksum.of(file(path));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path dst = file(to);
        Files.move(file(from), dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncDirectory(dst.getParent());
    }

    @Override
    public boolean renameNoReplace(String from, String to) throws IOException {
        Path dst = file(to);
        if (!NoReplaceRename.rename(file(from), dst)) {
            return false;
        }
        AtomicFiles.fsyncDirectory(dst.getParent());
        return true;
    }

    @Override
    public void delete(String path) throws IOException {
        Files.deleteIfExists(file(path));
    }

    @Override
    public List<String> list(String dir) throws IOException {
        Path d = file(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        Path d = file(dir);
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            AtomicFiles.fsyncDirectory(d.getParent());
        }
    }

    @Override
    public int read(String path, long offset, byte[] dst, int dstOff, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(file(path), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(dst, dstOff, len);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + (b.position() - dstOff)) < 0) {
                    break;
                }
            }
            return b.position() - dstOff;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file(path).toString(), null, "no such file on target");
        }
    }

    @Override
    public void download(String path, Path dst) throws IOException {
        Files.copy(file(path), dst, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Object fileKey(String path) throws IOException {
        try {
            return Files.readAttributes(file(path), BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public long freeBytes() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }
}
