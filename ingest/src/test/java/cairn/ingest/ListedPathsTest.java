package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory the walker listed, read again only if its name still holds that directory. */
class ListedPathsTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryIsReadByItsRawNamesWithoutDotAndDotDot() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        Files.createFile(RawPaths.resolve(dir, latin1));
        Files.createDirectory(dir.resolve("sub"));
        FileStat st = FileStat.of(dir);
        List<String> names = new ArrayList<>();
        try (UnixCalls.Directory d = ListedPaths.readDirectory(UnixCalls.AT_FDCWD, RawPaths.bytes(dir), dir, st.dev(),
                st.ino())) {
            for (byte[] n : d.names()) {
                names.add(new String(n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        names.sort(null);
        assertEquals(List.of("caf\u00e9", "sub"), names);
    }

    @Test
    void aDirectoryReplacedSinceItWasListedIsNotRead() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Files.createFile(dir.resolve("inside"));
        FileStat listed = FileStat.of(dir);
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createFile(elsewhere.resolve("not-in-the-tree"));

        Files.move(dir, tmp.resolve("moved"));
        Files.createSymbolicLink(dir, elsewhere);
        assertEquals("replaced by a symbolic link during the backup", refusal(dir, listed));

        Files.delete(dir);
        Files.createDirectory(dir);
        assertEquals("replaced by another directory during the backup", refusal(dir, listed));

        Files.delete(dir);
        Posix.mknod(RawPaths.bytes(dir), 0010644, 0); // a FIFO: a plain open would wait for a writer
        assertEquals("replaced by a FIFO during the backup", refusal(dir, listed));

        Files.delete(dir);
        Files.createFile(dir);
        assertEquals("replaced by a regular file during the backup", refusal(dir, listed));
    }

    private static String refusal(Path dir, FileStat listed) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IOException.class,
                () -> ListedPaths.readDirectory(UnixCalls.AT_FDCWD, RawPaths.bytes(dir), dir, listed.dev(),
                        listed.ino())).getMessage());
    }
}
