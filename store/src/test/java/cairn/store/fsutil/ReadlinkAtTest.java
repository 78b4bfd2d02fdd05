package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlink targets read relative to an open directory, byte for byte. */
class ReadlinkAtTest {
    @TempDir
    Path tmp;

    @Test
    void targetsComeBackAsTheirBytesWhateverTheirLength() throws Exception {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '/', 'x'};
        byte[] atBufferSize = new byte[4095];
        Arrays.fill(atBufferSize, (byte) 'a');
        for (int i = 255; i < atBufferSize.length; i += 256) {
            atBufferSize[i] = '/'; // the longest target Linux takes, made of names it accepts
        }
        Files.createSymbolicLink(tmp.resolve("short"), RawPaths.path(latin1));
        Files.createSymbolicLink(tmp.resolve("long"), RawPaths.path(atBufferSize));
        int fd = UnixCalls.openAt(UnixCalls.AT_FDCWD, RawPaths.bytes(tmp),
                UnixCalls.O_RDONLY | UnixCalls.O_CLOEXEC, tmp);
        try {
            assertArrayEquals(latin1, Posix.readlinkAt(fd, "short".getBytes(), tmp.resolve("short")));
            assertArrayEquals(atBufferSize, Posix.readlinkAt(fd, "long".getBytes(), tmp.resolve("long")));
            Files.createFile(tmp.resolve("plain"));
            assertThrows(IOException.class, () -> Posix.readlinkAt(fd, "plain".getBytes(), tmp.resolve("plain")));
        } finally {
            UnixCalls.close(fd);
        }
    }
}
