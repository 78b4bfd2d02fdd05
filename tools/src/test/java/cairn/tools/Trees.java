package cairn.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Test trees and fingerprints of directories. */
final class Trees {
    private Trees() {
    }

    /** Deterministic incompressible bytes. */
    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    static Path writeRandom(Path file, long seed, long size) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            long done = 0;
            long block = 0;
            while (done < size) {
                int n = (int) Math.min(1 << 20, size - done);
                out.write(random(seed * 1_000_003L + block++, n));
                done += n;
            }
        }
        return file;
    }

    /**
     * Every file under {@code root} (following nothing) with its size and SHA-256, symlinks with their
     * target, directories as such: equal maps mean the tree is byte-for-byte the same.
     */
    static Map<String, String> fingerprint(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return m;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                m.put(root.relativize(dir) + "/", "dir");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    m.put(rel, "-> " + Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    m.put(rel, attrs.size() + " " + sha256(file));
                } else {
                    m.put(rel, "special");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return m;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where {@code needle} first occurs in {@code hay}, or -1: to find a file's bytes in an image or a segment. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
