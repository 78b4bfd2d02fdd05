package cairn.store.image.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that changes while a sync reads it would leave a target that matches no version of it: a
 * file cut short reads as holes past its new end, so only the check after the pass can tell.
 */
class FileBlockSourceTest {
    @TempDir
    Path tmp;

    private Path image() throws IOException {
        Path p = tmp.resolve("src.img");
        Files.write(p, new byte[3 << 16]);
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L));
        return p;
    }

    @Test
    void anUnchangedSourcePasses() throws IOException {
        try (FileBlockSource s = FileBlockSource.open(image(), 1 << 16)) {
            s.read(2);
            assertDoesNotThrow(s::checkUnchanged);
        }
    }

    @Test
    void aSourceCutShortWhileReadIsCaught() throws IOException {
        Path p = image();
        try (FileBlockSource s = FileBlockSource.open(p, 1 << 16)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(1 << 16);
            }
            IOException e = assertThrows(IOException.class, s::checkUnchanged);
            assertTrue(e.getMessage().contains("changed size while it was read"), e.getMessage());
        }
    }

    @Test
    void aSourceRewrittenInPlaceIsCaught() throws IOException {
        Path p = image();
        try (FileBlockSource s = FileBlockSource.open(p, 1 << 16)) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_001_000L));
            IOException e = assertThrows(IOException.class, s::checkUnchanged);
            assertTrue(e.getMessage().contains("was modified while it was read"), e.getMessage());
        }
    }
}
