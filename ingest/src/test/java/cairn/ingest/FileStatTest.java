package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cairn.store.catalog.EntryType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {
    @TempDir
    Path tmp;

    @Test
    void agreesWithTheJdkFileApiAndDoesNotFollowSymlinks() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[1234]);
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L)));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), f);
        for (Path p : new Path[] {f, link, tmp}) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            FileStat st = FileStat.of(p);
            assertEquals((int) a.get("mode") & 07777, st.mode(), p.toString());
            assertEquals(a.get("size"), st.size(), p.toString());
            assertEquals(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), st.mtimeNs(), p.toString());
            assertEquals(((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), st.ctimeNs(), p.toString());
            assertEquals(a.get("ino"), st.ino(), p.toString());
            assertEquals(a.get("dev"), st.dev(), p.toString());
            assertEquals(a.get("nlink"), st.nlink(), p.toString());
            assertEquals(a.get("uid"), st.uid(), p.toString());
        }
        assertEquals(EntryType.FILE, FileStat.of(f).type());
        assertEquals(EntryType.SYMLINK, FileStat.of(link).type());
        assertEquals(EntryType.DIR, FileStat.of(tmp).type());
        assertEquals(1_700_000_000_123_456_789L, FileStat.of(f).mtimeNs());
    }

    @Test
    void aMissingPathIsTheJdksNoSuchFileException() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FileStat.of(tmp.resolve("gone")));
        assertEquals(tmp.resolve("gone").toString(), e.getFile());
    }
}
