package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The contract over SFTP to a real sshd, and the ways reaching a host can fail. */
class SftpStoreTest extends TargetStoreContract {
    Sshd sshd;

    @Override
    TargetStore open(Path dir) throws Exception {
        sshd = Sshd.start(tmp);
        return SftpStore.open(TargetUri.parse(sshd.uri(dir)), sshd.settings(), 2);
    }

    @Override
    void stop() throws Exception {
        sshd.close();
    }

    @Test
    void aRefusedKeyAMissingDirectoryAndADeadHostAreUnavailableWithAReason() throws Exception {
        Path stranger = tmp.resolve("stranger");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()).start().waitFor();
        TargetUnavailableException auth = assertThrows(TargetUnavailableException.class, () -> SftpStore.open(
                TargetUri.parse(sshd.uri(dir)), SshSettings.of(stranger, sshd.knownHosts), 1));
        assertTrue(auth.getMessage().contains("authentication as root refused"), auth.getMessage());

        TargetUnavailableException missing = assertThrows(TargetUnavailableException.class, () -> SftpStore.open(
                TargetUri.parse(sshd.uri(tmp.resolve("nope"))), sshd.settings(), 1));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        sshd.stop();
        TargetUnavailableException down = assertThrows(TargetUnavailableException.class, () -> SftpStore.open(
                TargetUri.parse(sshd.uri(dir)), sshd.settings(), 1));
        assertTrue(down.getMessage().contains("cannot reach root@127.0.0.1:" + sshd.port), down.getMessage());
    }

    @Test
    void anSftpOnlyAccountStillPlacesAndVerifies() throws Exception {
        try (Sshd only = Sshd.start(tmp, true);
             TargetStore s = SftpStore.open(TargetUri.parse(only.uri(dir)), only.settings(), 2)) {
            byte[] data = random(700_000, 9);
            Path local = Files.write(tmp.resolve("only"), data);
            s.mkdirs("tmp");
            s.mkdirs("segments/ab");
            s.upload(local, "tmp/f");
            byte[] sha = cairn.store.segment.SegmentChecksum.sha256().digest(data);
            assertEquals(java.util.HexFormat.of().formatHex(sha), java.util.HexFormat.of().formatHex(s.sha256("tmp/f")));
            byte[] wrong = sha.clone();
            wrong[0] ^= 1;
            s.renameIfChecksum("tmp/f", "segments/ab/f", wrong);
            assertEquals(-1, s.size("segments/ab/f"), "a wrong checksum renames nothing");
            s.renameIfChecksum("tmp/f", "segments/ab/f", sha);
            assertEquals(data.length, s.size("segments/ab/f"));
        }
    }

    @Test
    void aServerRestartIsSurvivedByReconnecting() throws Exception {
        store.mkdirs("d");
        sshd.stop();
        sshd.start();
        assertEquals(-1, store.size("d/x"), "the dead pooled connection was replaced");
        assertTrue(Files.isDirectory(dir.resolve("d")));
    }
    @Test
    void anSftpErrorSaysWhatFailedOnWhichPath() throws Exception {
        String host = "127.0.0.1:" + sshd.port;
        Path local = Files.write(tmp.resolve("small"), random(10, 3));
        java.io.IOException missing = assertThrows(java.io.IOException.class, () -> store.upload(local, "nodir/f"));
        assertEquals("cannot write " + dir + "/nodir/f on " + host + ": no such file (SFTP status 2)",
                missing.getMessage());

        store.mkdirs("tmp");
        store.upload(local, "tmp/f");
        Files.createDirectories(dir.resolve("full/x"));
        java.io.IOException failure = assertThrows(java.io.IOException.class, () -> store.rename("tmp/f", "full"));
        assertTrue(failure.getMessage().startsWith("cannot rename " + dir + "/tmp/f to " + dir + "/full on " + host
                + ": failed without a reason (SFTP status 4"), failure.getMessage());

        // A file where a directory should be: an error of the operation, not a lost connection.
        Files.writeString(dir.resolve("plain"), "x");
        java.io.IOException notDir = assertThrows(java.io.IOException.class, () -> store.mkdirs("plain/sub"));
        assertFalse(notDir instanceof TargetUnavailableException, notDir.getMessage());
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
        assertEquals(-1, store.size("tmp/none"), "the connection still serves");
    }
}
