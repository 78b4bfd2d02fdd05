package cairn.store.fsutil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the tests of page-cache advice check: which pages of a file are in memory. */
public final class PageCache {
    private PageCache() {
    }

    /** mincore(2) through the JDK: true when every page of the file is in memory. */
    public static boolean resident(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).isLoaded();
        }
    }

    /** Why a test of page-cache advice cannot run in {@code dir}, or null when it can. */
    public static String unobservable(Path dir) throws IOException {
        return "tmpfs".equals(Files.getFileStore(dir).type())
                ? "tmpfs keeps every page in memory; the page cache is only advice there" : null;
    }
}
