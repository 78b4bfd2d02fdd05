package cairn.store.placement;

import java.io.IOException;

/**
 * A copy on a target is not byte for byte the file it copies: wrong size or wrong SHA-256 where it
 * lies. It concerns this one file; the target itself may be fine.
 */
public final class CopyMismatchException extends IOException {
    public CopyMismatchException(String message) {
        super(message);
    }
}
