package cairn.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a whole sealed segment file: the identity a copy elsewhere must match, byte for byte,
 * before it counts as a copy. The record checksums inside the file guard single chunks; this one
 * guards the file as a unit, and the same digest can be computed where the copy lies
 * ({@code sha256sum}) without moving the bytes back.
 */
public final class SegmentChecksum {
    private SegmentChecksum() {
    }

    public static byte[] of(Path file) throws IOException {
        MessageDigest md = sha256();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) {
                md.update(buf.flip());
            }
        }
        return md.digest();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
