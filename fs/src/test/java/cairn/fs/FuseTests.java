package cairn.fs;

import static org.junit.jupiter.api.Assertions.fail;

import cairn.fs.fuse.FuseUnavailableException;
import cairn.fs.mount.Preflight;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a working FUSE skip on a machine without it, but never under
 * {@code CAIRN_REQUIRE_ALL=1} (CI), where a missing FUSE is a failure.
 */
public final class FuseTests {
    private FuseTests() {
    }

    public static void requireFuse() {
        String reason = null;
        try {
            Preflight.fuse();
        } catch (FuseUnavailableException e) {
            reason = e.getMessage();
        }
        if (reason == null) {
            return;
        }
        if ("1".equals(System.getenv("CAIRN_REQUIRE_ALL"))) {
            fail("FUSE is required (CAIRN_REQUIRE_ALL=1) but unavailable: " + reason);
        }
        Assumptions.abort("FUSE unavailable, skipping: " + reason);
    }
}
