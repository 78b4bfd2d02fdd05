package cairn.store.repo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A second process for the lock tests: {@code LockProbe LOCKFILE WAIT_MS HOLD_MS} takes the lock,
 * waiting up to WAIT_MS, prints "acquired" and holds it HOLD_MS; exits 2 printing the message when the
 * lock stays taken.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (RepoLock lock = RepoLock.acquire(Path.of(args[0]), Duration.ofMillis(Long.parseLong(args[1])))) {
            System.out.println("acquired");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[2]));
        } catch (RepoLock.RepositoryLockedException e) {
            System.out.println("locked: " + e.getMessage());
            System.out.flush();
            System.exit(2);
        }
    }
}
