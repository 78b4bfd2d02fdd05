package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening one SSH connection to a real sshd: how long it may take, which keys serve, which are refused. */
class SshConnectionTest {
    @TempDir
    Path tmp;

    @AfterEach
    void defaultDeadline() {
        System.clearProperty(ConnectDeadline.PROPERTY);
    }

    @Test
    void aHostThatAcceptsButNeverAnswersIsGivenUpAfterTheDeadline() throws Exception {
        System.setProperty(ConnectDeadline.PROPERTY, "2000");
        try (Sshd sshd = Sshd.start(tmp)) {
            TargetUri uri = TargetUri.parse(sshd.uri(tmp));
            sshd.freeze();
            try {
                long start = System.nanoTime();
                TargetUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                        TargetUnavailableException.class, () -> SshConnection.open(uri, sshd.settings())));
                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertEquals("cannot reach root@127.0.0.1:" + sshd.port + ": no answer within 2 s", e.getMessage());
                assertTrue(ms >= 1900 && ms < 10_000, ms + " ms");
            } finally {
                sshd.thaw();
            }
        }
    }

    @Test
    void anOpenConnectionOutlivesTheDeadlineWhileIdle() throws Exception {
        System.setProperty(ConnectDeadline.PROPERTY, "1000");
        try (Sshd sshd = Sshd.start(tmp);
             SshConnection c = SshConnection.open(TargetUri.parse(sshd.uri(tmp)), sshd.settings())) {
            Thread.sleep(2500);
            assertTrue(c.isConnected());
            assertNotNull(c.sftp().statExistence(tmp.toString()));
            assertTrue(Files.isDirectory(tmp));
        }
    }
}
