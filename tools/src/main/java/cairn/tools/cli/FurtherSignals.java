package cairn.tools.cli;

import java.util.List;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT that come while cairn is already exiting on one. The JVM's own handler takes each
 * as one more request to exit, which waits behind the first for good: the signal does nothing. A
 * shutdown hook that must be able to cut its work short hands them to {@link #onEach} instead.
 */
final class FurtherSignals {
    private FurtherSignals() {
    }

    /** From now on, each SIGTERM or SIGINT runs {@code action}, on a thread of its own, and does no more. */
    static void onEach(Runnable action) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException notHandled) {
                // The JVM does not handle it here (-Xrs): the signal keeps doing what it did.
            }
        }
    }
}
