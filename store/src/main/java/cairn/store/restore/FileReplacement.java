package cairn.store.restore;

import cairn.store.fsutil.AtomicFiles;
import cairn.store.fsutil.TemporaryName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written whole under a temporary name beside its target ({@code .NAME.cairn-restore-<16 hex>})
 * and renamed over it only once complete and checked, so a failed restore leaves the old file as it
 * was.
 */
final class FileReplacement implements AutoCloseable {
    private static final String TEMPORARY_TAG = "cairn-restore";

    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private boolean committed;

    private FileReplacement(Path target, Path tmp, FileChannel channel) {
        this.target = target;
        this.tmp = tmp;
        this.channel = channel;
    }

    /** Starts the new contents of {@code target}, a regular file or a name that does not exist yet. */
    static FileReplacement of(Path target) throws IOException {
        Path tmp = TemporaryName.of(target, TEMPORARY_TAG).fresh();
        return new FileReplacement(target, tmp,
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Where to write; the caller makes it durable (force) before {@link #commit}. */
    FileChannel channel() {
        return channel;
    }

    /** Gives the written file the target's name. */
    void commit() throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        AtomicFiles.fsyncDirectory(target.toAbsolutePath().getParent());
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (!committed) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
