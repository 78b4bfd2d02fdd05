package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small tmpfs mounted in a test's directory, for a disk that fills up. Mounting needs root: without
 * it the test is skipped with the reason, and under {@code CAIRN_REQUIRE_ALL=1} it fails. Unmounted by
 * {@link #close}.
 */
final class SmallDisk implements AutoCloseable {
    private final Path dir;
    private final Path mountPoint;

    private SmallDisk(Path dir, Path mountPoint) {
        this.dir = dir;
        this.mountPoint = mountPoint;
    }

    /** A tmpfs of {@code size} ("2m") at {@code dir/name}, which is created. */
    static SmallDisk mount(Path dir, String name, String size) throws IOException {
        Require.that(Require.isRoot() && Require.hasCommand("mount"), "mounting a small tmpfs needs root");
        Path at = Files.createDirectories(dir.resolve(name));
        Proc.Output m = Proc.run(dir, List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "cairn-test-full",
                at.toString()));
        Require.that(m.code() == 0, "cannot mount a tmpfs here: " + m.err());
        return new SmallDisk(dir, at);
    }

    Path path() {
        return mountPoint;
    }

    /**
     * Takes all of the free space but {@code leftBytes} with a file of zeros ({@code filler}, written, so
     * tmpfs counts it), returning it: removing it frees the disk again.
     */
    Path fillLeaving(long leftBytes) throws IOException {
        Path filler = mountPoint.resolve("filler");
        long take = Files.getFileStore(mountPoint).getUsableSpace() - leftBytes;
        try (var out = Files.newOutputStream(filler)) {
            byte[] zeros = new byte[64 << 10];
            for (long done = 0; done < take; done += zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, take - done));
            }
        }
        return filler;
    }

    @Override
    public void close() {
        Proc.Output u = Proc.run(dir, List.of("umount", mountPoint.toString()));
        assertEquals(0, u.code(), "umount " + mountPoint + ": " + u.err());
    }
}
