package cairn.tools;

import cairn.tools.cli.UserDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where SQLite's, zstd's and jffi's native libraries are unpacked. Each library copies its shared object
 * out of the jar into {@code java.io.tmpdir} and maps it from there as executable code; on a
 * {@code /tmp} mounted {@code noexec}, a common hardening, that mapping fails and every command would
 * fail with it (SQLite's failure reads as a catalog that cannot be opened). So when the JVM's temporary
 * directory does not allow executables, a private directory in the user's cache takes its place.
 * {@code $TMPDIR}, when set, is what the launcher gives the JVM as its temporary directory.
 */
final class NativeTmpDir {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private NativeTmpDir() {
    }

    /** Moves {@code java.io.tmpdir} to {@code ~/.cache/cairn/tmp} when it cannot hold executables. */
    static void choose() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (allowsExecutables(tmp)) {
            return;
        }
        Path own = UserDirs.cache().resolve("tmp");
        try {
            Files.createDirectories(own, OWNER_ONLY);
        } catch (IOException e) {
            return; // left as it is: the library that fails to load says so
        }
        if (allowsExecutables(own)) {
            System.setProperty("java.io.tmpdir", own.toString());
        }
    }

    /**
     * Whether a file made in {@code dir} could be executed: access(2) with X_OK, which is what
     * {@link Files#isExecutable} asks, fails on a noexec mount even for root. False when no file can be
     * made there at all.
     */
    static boolean allowsExecutables(Path dir) {
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".cairn-exec-", null, OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        try {
            return Files.isExecutable(probe);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a stray empty file in a temporary directory
            }
        }
    }
}
