package cairn.store.targets;

import java.io.IOException;

/**
 * A target could not be reached at all: no connection, authentication refused, host key unknown or
 * changed, directory missing. Distinct from a failed operation on a reachable target, because the
 * answer differs: a reader tries the next copy at once, and a push reports the target as down.
 */
public final class TargetUnavailableException extends IOException {
    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public TargetUnavailableException(String message) {
        super(message);
    }
}
