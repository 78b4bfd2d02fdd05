package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways of renaming without replacing: through a hard link, and renameat2 where there are none. */
class NoReplaceRenameTest {
    @TempDir
    Path tmp;

    interface Rename {
        boolean apply(Path from, Path to) throws IOException;
    }

    @Test
    void throughAHardLink() throws Exception {
        check(NoReplaceRename::rename);
    }

    @Test
    void withRenameat2AsOnFileSystemsWithoutHardLinks() throws Exception {
        check(NoReplaceRename::renameWithoutLink);
    }

    private void check(Rename rename) throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "first");
        Path b = Files.writeString(tmp.resolve("b"), "second");
        Path name = tmp.resolve("name");
        assertTrue(rename.apply(a, name));
        assertFalse(Files.exists(a), "the old name is gone");
        assertEquals(1, Files.getAttribute(name, "unix:nlink"), "no second name is left");
        assertFalse(rename.apply(b, name), "the name is taken");
        assertEquals("first", Files.readString(name));
        assertEquals("second", Files.readString(b), "the loser is as it was");
        IOException missing = assertThrows(IOException.class, () -> rename.apply(tmp.resolve("none"), tmp.resolve("x")));
        assertTrue(missing.getMessage().contains("No such file"), missing.getMessage());
    }
}
