package cairn.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Prerequisites that a laptop may lack (root, setpriv, mknod): without one a test is skipped with the
 * reason, except under {@code CAIRN_REQUIRE_ALL=1} (CI), where a missing prerequisite fails the test.
 */
final class Require {
    private Require() {
    }

    static void that(boolean available, String reason) {
        if (available) {
            return;
        }
        if ("1".equals(System.getenv("CAIRN_REQUIRE_ALL"))) {
            fail("CAIRN_REQUIRE_ALL=1 but this test cannot run: " + reason);
        }
        Assumptions.abort(reason);
    }

    static boolean isRoot() {
        try {
            // /proc/self belongs to the process's effective uid.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean hasCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name)) || Files.isExecutable(Path.of("/sbin", name));
    }
}
