package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalStoreTest extends TargetStoreContract {
    @Override
    TargetStore open(Path dir) throws Exception {
        return LocalStore.open(dir);
    }

    @Test
    void fileKeysTellTheSameDirectoryUnderAnotherPathFromACopy() throws Exception {
        java.nio.file.Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link"), dir);
        java.nio.file.Path copy = java.nio.file.Files.createDirectories(tmp.resolve("copy"));
        try (TargetStore viaLink = LocalStore.open(link); TargetStore other = LocalStore.open(copy)) {
            assertEquals(store.fileKey(""), viaLink.fileKey(""));
            assertNotEquals(store.fileKey(""), other.fileKey(""));
            assertNull(store.fileKey("missing"));
        }
    }

    @Test
    void aMissingDirectoryIsAnUnavailableTargetNotAnEmptyOne() {
        assertThrows(TargetUnavailableException.class, () -> LocalStore.open(tmp.resolve("unmounted")));
    }
}
