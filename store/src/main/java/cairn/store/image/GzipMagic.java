package cairn.store.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a file is gzip-compressed, decided by its content, never its name: the magic 1f 8b and
 * deflate (8), the only method gzip defines, as the third byte. A raw image that happens to start
 * with 1f 8b and something else is still taken as raw.
 */
public final class GzipMagic {
    private GzipMagic() {
    }

    public static boolean of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return of(ch);
        }
    }

    public static boolean of(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(3);
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // a short read of a regular file only happens at its end
        }
        // Two bytes alone are a gzip file cut short, better told so than stored as a 2-byte image.
        return head.position() >= 2 && (head.get(0) & 0xFF) == 0x1f && (head.get(1) & 0xFF) == 0x8b
                && (head.position() == 2 || head.get(2) == 8);
    }
}
