package cairn.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.CatalogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating and opening repositories, and refusing what is not one (or is too new). */
class RepositoryTest {
    @TempDir
    Path tmp;

    @Test
    void initCreatesTheLayoutAndOpenFindsTheSameRepository() throws IOException {
        Path dir = tmp.resolve("repo");
        String id;
        try (Repository r = Repository.init(dir)) {
            id = r.id();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
        }
        assertTrue(Files.isRegularFile(dir.resolve("cairn-repository")));
        assertTrue(Files.isRegularFile(dir.resolve("catalog.db")));
        assertTrue(Files.isDirectory(dir.resolve("segments")));
        assertTrue(Repository.isRepository(dir));
        assertEquals(List.of("cairn repository", "version 1", "id " + id),
                Files.readAllLines(dir.resolve("cairn-repository")));
        try (Repository r = Repository.open(dir)) {
            assertEquals(id, r.id());
            assertEquals(0, r.catalog().count("snapshots"));
        }
        try (Repository other = Repository.init(tmp.resolve("other"))) {
            assertFalse(other.id().equals(id), "two repositories got the same id");
        }
    }

    /** Threads come and go (FUSE workers, pools); their catalog connections must not pile up. */
    @Test
    void aDeadThreadsCatalogConnectionIsClosed() throws Exception {
        try (Repository r = Repository.init(tmp.resolve("repo"))) {
            for (int i = 0; i < 20; i++) {
                Thread t = new Thread(() -> {
                    try {
                        r.catalogOfThread().snapshots().all();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                t.start();
                t.join();
            }
            assertEquals(1, r.readerConnections(), "only the last thread's connection may remain");
        }
    }

    @Test
    void initRefusesAnythingButAMissingOrEmptyDirectory() throws IOException {
        Path existing = tmp.resolve("repo");
        Repository.init(existing).close();
        IOException again = assertThrows(IOException.class, () -> Repository.init(existing));
        assertTrue(again.getMessage().contains("already"), again.getMessage());

        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("precious.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> Repository.init(full));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        try (Stream<Path> s = Files.list(full)) {
            assertEquals(List.of(full.resolve("precious.txt")), s.toList(), "init touched a non-empty directory");
        }

        Path file = Files.writeString(tmp.resolve("file"), "x");
        IOException f = assertThrows(IOException.class, () -> Repository.init(file));
        assertTrue(f.getMessage().contains("not a directory"), f.getMessage());

        Repository.init(Files.createDirectories(tmp.resolve("empty"))).close();
    }

    @Test
    void openRefusesWhatIsNotARepositoryWithoutCreatingAnything() throws IOException {
        Path missing = tmp.resolve("missing");
        IOException e = assertThrows(IOException.class, () -> Repository.open(missing));
        assertTrue(e.getMessage().contains("not a cairn repository"), e.getMessage());
        assertTrue(e.getMessage().contains("init"), "should say how to create one: " + e.getMessage());
        assertFalse(Files.exists(missing));

        Path plain = Files.createDirectories(tmp.resolve("plain"));
        assertTrue(assertThrows(IOException.class, () -> Repository.open(plain)).getMessage()
                .contains("not a cairn repository"));
        try (Stream<Path> s = Files.list(plain)) {
            assertEquals(0, s.count());
        }

        Path fake = Files.createDirectories(tmp.resolve("fake"));
        Files.writeString(fake.resolve("cairn-repository"), "something else\n");
        assertTrue(assertThrows(IOException.class, () -> Repository.open(fake)).getMessage()
                .contains("not a repository marker"));
    }

    @Test
    void aNewerFormatVersionIsRefused() throws IOException {
        Path dir = tmp.resolve("repo");
        Repository.init(dir).close();
        Path marker = dir.resolve("cairn-repository");
        String text = Files.readString(marker);
        Files.writeString(marker, text.replace("version 1", "version 2"));
        IOException e = assertThrows(IOException.class, () -> Repository.open(dir));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());

        Files.writeString(marker, text.replace("version 1", "version one"));
        assertTrue(assertThrows(IOException.class, () -> Repository.open(dir)).getMessage().contains("version"));
    }

    @Test
    void aRepositoryWithoutItsCatalogIsRefused() throws IOException {
        Path dir = tmp.resolve("repo");
        Repository.init(dir).close();
        Files.delete(dir.resolve("catalog.db"));
        assertThrows(CatalogException.class, () -> Repository.open(dir));
        assertFalse(Files.exists(dir.resolve("catalog.db")), "opening must not create an empty catalog");
    }
}
