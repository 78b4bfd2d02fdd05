package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalStoreTest extends TargetStoreContract {
    @Override
    TargetStore open(Path dir) throws Exception {
        return LocalStore.open(dir);
    }

    @Test
    void aMissingDirectoryIsAnUnavailableTargetNotAnEmptyOne() {
        assertThrows(TargetUnavailableException.class, () -> LocalStore.open(tmp.resolve("unmounted")));
    }
}
