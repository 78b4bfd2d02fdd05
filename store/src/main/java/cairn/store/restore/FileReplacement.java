package cairn.store.restore;

import cairn.store.fsutil.AtomicFiles;
import cairn.store.fsutil.TemporaryFiles;
import cairn.store.fsutil.TemporaryName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A file written whole under a temporary name beside its target ({@code .NAME.cairn-restore-<16 hex>})
 * and renamed over it only once complete and checked, so a failed restore leaves the old file as it
 * was. The new file takes the mode and owner of the one it replaces, and while it is written only its
 * owner may read it. A restore stopped by a signal removes its temporary file and never renames it
 * once the stop has begun ({@link TemporaryFiles}); one killed outright leaves it, and the next restore
 * of the same target removes it.
 */
final class FileReplacement implements AutoCloseable {
    private static final String TEMPORARY_TAG = "cairn-restore";
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private final Optional<ModeAndOwner> replaced;
    private final TemporaryFiles temporary;
    private final TemporaryFiles.Pending pending;

    private FileReplacement(Path target, Path tmp, FileChannel channel, Optional<ModeAndOwner> replaced,
                            TemporaryFiles temporary) {
        this.target = target;
        this.tmp = tmp;
        this.channel = channel;
        this.replaced = replaced;
        this.temporary = temporary;
        this.pending = temporary.add(tmp);
    }

    /** Starts the new contents of {@code target}, a regular file or a name that does not exist yet. */
    static FileReplacement of(Path target) throws IOException {
        TemporaryName names = TemporaryName.of(target, TEMPORARY_TAG);
        names.removeStale();
        Optional<ModeAndOwner> replaced = ModeAndOwner.of(target);
        Path tmp = names.fresh();
        Set<StandardOpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // A new file gets the default mode (umask); a replaced one's may be private, and the copy is too.
        FileChannel ch = replaced.isPresent() ? FileChannel.open(tmp, create, OWNER_ONLY) : FileChannel.open(tmp, create);
        return new FileReplacement(target, tmp, ch, replaced, new TemporaryFiles());
    }

    /** Where to write; the caller makes it durable (force) before {@link #commit}. */
    FileChannel channel() {
        return channel;
    }

    /**
     * Gives the written file the replaced one's mode and owner, then the target's name, unless the
     * process is stopping on a signal ({@link TemporaryFiles.Stopped}).
     */
    void commit() throws IOException {
        if (replaced.isPresent()) {
            replaced.get().applyTo(tmp);
        }
        pending.rename(() -> Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING));
        AtomicFiles.fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Closes the file, and removes it unless it took the target's name. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            pending.remove();
            temporary.close();
        }
    }
}
