package cairn.store.targets;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Logs in with a key, as OpenSSH's client would choose one: the key given with {@code --identity} and
 * nothing else; else the keys the user's SSH agent holds ({@code $SSH_AUTH_SOCK}), then the user's
 * default key files ({@code id_ed25519}, {@code id_ecdsa}, {@code id_rsa}). A default key file that
 * needs a passphrase is passed over when the agent offers keys (the agent usually holds it, unlocked);
 * a given one must work on its own, since cairn runs unattended.
 */
final class SshLogin {
    private SshLogin() {
    }

    /**
     * Time the agent spends on a request (a person confirming a key) does not count against
     * {@code deadline}, since the host is not the one keeping us waiting then.
     */
    static void authenticate(SSHClient ssh, TargetUri uri, SshSettings settings, ConnectDeadline deadline)
            throws IOException {
        String who = uri.user() + "@" + uri.hostAndPort();
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        String agentProblem = null;
        SshAgent agent = null;
        try {
            if (settings.identity() == null) {
                try {
                    agent = SshAgent.ofEnvironment();
                    if (agent != null) {
                        for (SshAgent.Identity id : deadline.notCounting(agent::identities)) {
                            AgentAuth a = new AgentAuth(agent, id, deadline);
                            methods.add(a);
                            tried.add(a.toString());
                        }
                    }
                } catch (IOException e) {
                    agentProblem = e.getMessage();
                }
            }
            boolean lenient = !methods.isEmpty();
            for (Path file : settings.identities()) {
                KeyProvider k = load(ssh, file, lenient);
                if (k != null) {
                    methods.add(new AuthPublickey(k));
                    tried.add(file.toString());
                }
            }
            if (methods.isEmpty()) {
                throw new TargetUnavailableException("no SSH key for " + who + ": give one with --identity FILE, load one"
                        + " into ssh-agent, or create " + SshSettings.sshDir().resolve("id_ed25519")
                        + (agentProblem == null ? "" : " (" + agentProblem + ")"));
            }
            try {
                ssh.auth(uri.user(), methods);
            } catch (UserAuthException e) {
                throw new TargetUnavailableException("authentication as " + uri.user() + " refused by "
                        + uri.hostAndPort() + " (keys tried: " + String.join(", ", tried) + ")", e);
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    /** The key in {@code file}; null when it cannot be used and {@code lenient}, else a clear error. */
    private static KeyProvider load(SSHClient ssh, Path file, boolean lenient) throws IOException {
        if (!Files.isReadable(file)) {
            if (lenient) {
                return null;
            }
            throw new TargetUnavailableException("SSH key " + file + " cannot be read");
        }
        try {
            KeyProvider k = ssh.loadKeys(file.toString());
            // Decoded now, so a broken key or one that needs a passphrase is reported as such: an OpenSSH
            // key file shows its public half without the passphrase, and would fail only at signing.
            k.getPublic();
            k.getPrivate();
            return k;
        } catch (IOException | RuntimeException e) {
            if (lenient) {
                return null;
            }
            if (needsPassphrase(file, e)) {
                throw new TargetUnavailableException("SSH key " + file + " has a passphrase; cairn runs unattended,"
                        + " so the key must not need a passphrase", e);
            }
            throw new TargetUnavailableException("SSH key " + file + " cannot be used (" + SshConnection.message(e)
                    + ")", e);
        }
    }

    /**
     * No passphrase is ever supplied, so a key in OpenSSH's format that fails to decrypt has one. sshj
     * reads an encrypted PEM key as if it were plain and fails on the result, so for PEM the file's own
     * header says it.
     */
    private static boolean needsPassphrase(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KeyDecryptionFailedException) {
                return true;
            }
        }
        try {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            return text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        } catch (IOException unreadable) {
            return false;
        }
    }
}
