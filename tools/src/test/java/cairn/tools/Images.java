package cairn.tools;

import static org.junit.jupiter.api.Assertions.fail;

import cairn.fs.mount.MountTable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Disk images for tests: real ext4 file systems, sparse files, and a cairn mount to dd them out of. */
final class Images {
    static final int MIB = 1 << 20;

    private Images() {
    }

    /** A sparse {@code mib} MiB ext4 image made by mkfs.ext4 -d from a few files of random data. */
    static Path ext4(Path dir, String name, int mib) throws IOException {
        Require.that(Require.hasCommand("mkfs.ext4"), "mkfs.ext4 (e2fsprogs) is not installed");
        Path content = dir.resolve(name + ".d");
        Trees.writeRandom(content.resolve("big.bin"), 11, 3L * MIB);
        Trees.writeRandom(content.resolve("docs/a.bin"), 12, 200_000);
        Files.writeString(content.resolve("docs/readme.txt"), "an ext4 image in a cairn test\n".repeat(50));
        Path img = dir.resolve(name);
        // Fixed UUID and hash seed: the same input gives the same image, so tests are repeatable.
        Proc.sh(dir, "mkfs.ext4 -q -F -U 11111111-2222-3333-4444-555555555555 -E hash_seed="
                + "11111111-2222-3333-4444-555555555555 -d " + content + " " + img + " " + mib + "M");
        return img;
    }

    /** Overwrites {@code len} bytes at {@code offset} with random data (seeded). */
    static void scribble(Path img, long offset, int len, long seed) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(offset);
            f.write(Trees.random(seed, len));
        }
    }

    /** Bytes the file really occupies on disk (st_blocks × 512): less than its size when sparse. */
    static long allocated(Path file) {
        return Long.parseLong(Proc.sh(file.getParent(), "stat -c %b " + file.getFileName()).trim()) * 512;
    }

    /** A {@code cairn mount} process of {@code repo} at {@code mnt}, ended with SIGTERM by close(). */
    static final class Mount implements AutoCloseable {
        private final Process process;
        private final Path mnt;

        Mount(Path repo, Path mnt, Path log) throws Exception {
            Require.that(Files.exists(Path.of("/dev/fuse")), "FUSE (/dev/fuse) is not available");
            this.mnt = mnt;
            Files.createDirectories(mnt);
            Files.createDirectories(log);
            this.process = Proc.startCairn(log, List.of(), null, "--repo", repo.toString(), "mount", mnt.toString());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!MountTable.isMountPoint(mnt.toRealPath())) {
                if (!process.isAlive()) {
                    fail("cairn mount exited with " + process.exitValue() + ": " + Files.readString(log.resolve("stderr")));
                }
                if (System.nanoTime() > end) {
                    fail("not mounted within 30 s");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            MountPoints.release(mnt);
        }
    }
}
