package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.crypto.Cipher;
import java.security.MessageDigest;
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
    @Test
    void ecdsaIdentitiesOfEachCurveLogIn() throws Exception {
        try (Sshd sshd = Sshd.start(tmp)) {
            TargetUri uri = TargetUri.parse(sshd.uri(tmp));
            for (String type : List.of("ecdsa", "ecdsa-384", "ecdsa-521")) {
                Path key = sshd.addClientKey(type);
                try (SshConnection c = SshConnection.open(uri, SshSettings.of(key, sshd.knownHosts))) {
                    assertTrue(c.isConnected(), type);
                }
            }
        }
        // ECDSA is served without handing the bulk work to a slower provider.
        assertEquals("SunJCE", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SUN", MessageDigest.getInstance("SHA-256").getProvider().getName());
    }

    @Test
    void aHostWithOnlyAnEcdsaHostKeyIsCheckedAndAccepted() throws Exception {
        try (Sshd sshd = Sshd.start(tmp, false, List.of("ecdsa"))) {
            TargetUri uri = TargetUri.parse(sshd.uri(tmp));
            try (SshConnection c = SshConnection.open(uri, sshd.settings())) {
                assertTrue(c.isConnected());
            }
            Path other = sshd.keygen("ecdsa", "other_host_key");
            Path wrong = Files.writeString(tmp.resolve("known_hosts_wrong"),
                    "[127.0.0.1]:" + sshd.port + " " + Files.readString(Path.of(other + ".pub")));
            TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                    () -> SshConnection.open(uri, SshSettings.of(sshd.identity, wrong)));
            assertTrue(e.getMessage().contains("has CHANGED (now ecdsa-sha2-nistp256 key"), e.getMessage());
        }
    }

    @Test
    void onlyAKeyThatNeedsAPassphraseIsBlamedOnIt() throws Exception {
        try (Sshd sshd = Sshd.start(tmp)) {
            TargetUri uri = TargetUri.parse(sshd.uri(tmp));
            // The OpenSSH format, and the older PEM one.
            for (List<String> format : List.of(List.of("-t", "ecdsa"), List.of("-t", "rsa", "-m", "PEM"))) {
                Path locked = tmp.resolve("locked-" + format.get(1));
                List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", "secret", "-f",
                        locked.toString()));
                cmd.addAll(format);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                assertEquals(0, p.waitFor());
                TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                        () -> SshConnection.open(uri, SshSettings.of(locked, sshd.knownHosts)));
                assertTrue(e.getMessage().startsWith("SSH key " + locked + " has a passphrase; cairn runs unattended"), e.getMessage());
            }

            Path broken = Files.writeString(tmp.resolve("broken"),
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
            TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                    () -> SshConnection.open(uri, SshSettings.of(broken, sshd.knownHosts)));
            assertTrue(e.getMessage().startsWith("SSH key " + broken + " cannot be used"), e.getMessage());
            assertFalse(e.getMessage().contains("passphrase"), e.getMessage());
        }
    }
    @Test
    void aHostKnownOnlyByItsEcdsaKeyIsAskedForThatKey() throws Exception {
        try (Sshd sshd = Sshd.start(tmp, false, List.of("ed25519", "ecdsa"))) {
            Path onlyEcdsa = Files.writeString(tmp.resolve("known_hosts_ecdsa"),
                    "[127.0.0.1]:" + sshd.port + " " + Files.readString(sshd.hostKeyPub("ecdsa")));
            try (SshConnection c = SshConnection.open(TargetUri.parse(sshd.uri(tmp)),
                    SshSettings.of(sshd.identity, onlyEcdsa))) {
                assertTrue(c.isConnected());
            }
        }
    }
    @Test
    void aRevokedHostKeyIsRefusedEvenWhenAnotherLineAcceptsIt() throws Exception {
        try (Sshd sshd = Sshd.start(tmp)) {
            TargetUri uri = TargetUri.parse(sshd.uri(tmp));
            String line = "[127.0.0.1]:" + sshd.port + " " + Files.readString(sshd.hostKeyPub("ed25519"));
            String fingerprint = fingerprintOf(sshd.hostKeyPub("ed25519"));
            String expected = "host key of [127.0.0.1]:" + sshd.port + " is REVOKED in %s (ssh-ed25519 key "
                    + fingerprint + "): refusing to connect";
            for (String text : List.of(line + "@revoked " + line, "@revoked " + line)) {
                Path known = Files.writeString(tmp.resolve("known_hosts_revoked"), text);
                TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                        () -> SshConnection.open(uri, SshSettings.of(sshd.identity, known)), text);
                assertEquals(String.format(expected, known), e.getMessage());
            }
        }
    }

    @Test
    void fingerprintsArePrintedAsOpenSshPrintsThem() throws Exception {
        try (Sshd sshd = Sshd.start(tmp)) {
            Path empty = Files.writeString(tmp.resolve("known_hosts_empty"), "");
            TargetUnavailableException e = assertThrows(TargetUnavailableException.class,
                    () -> SshConnection.open(TargetUri.parse(sshd.uri(tmp)), SshSettings.of(sshd.identity, empty)));
            String fingerprint = fingerprintOf(sshd.hostKeyPub("ed25519"));
            assertTrue(fingerprint.startsWith("SHA256:"), fingerprint);
            assertTrue(e.getMessage().contains("(ssh-ed25519 key " + fingerprint + " not in "), e.getMessage());
        }
    }

    /** The fingerprint as {@code ssh-keygen -l} prints it. */
    private static String fingerprintOf(Path publicKey) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out.split(" ")[1];
    }
}
