package cairn.store.targets;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host keys checked against an OpenSSH known_hosts file. An unknown or changed key is refused, never
 * added: the message says what was offered and how to add it after checking it, which is the
 * user's decision, not ours. A key marked {@code @revoked} for the host is refused whatever other
 * lines say, as OpenSSH does. Keys are named by their SHA-256 fingerprint, the form ssh and
 * {@code ssh-keygen -l} print.
 */
final class HostKeyCheck extends OpenSSHKnownHosts {
    private static final String REVOKED = "@revoked";

    private final String file;
    private volatile String refusal;

    HostKeyCheck(File knownHosts) throws IOException {
        super(knownHosts);
        this.file = knownHosts.toString();
    }

    /** Why the last verification failed, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        // sshj skips a revoked line and so accepts the key on another line, or calls it changed when
        // the revoked line is all there is (whose advice, ssh-keygen -R, would delete the revocation).
        String host = port == 22 ? hostname : "[" + hostname + "]:" + port;
        if (isRevoked(host, key)) {
            refusal = "host key of " + host + " is REVOKED in " + file + " (" + describe(key) + "): refusing to connect";
            return false;
        }
        return super.verify(hostname, port, key);
    }

    /** True when a {@code @revoked} line for {@code host} holds exactly {@code key}. */
    private boolean isRevoked(String host, PublicKey key) {
        KeyType type = KeyType.fromKey(key);
        byte[] blob = blob(key);
        for (KnownHostEntry e : entries()) {
            // The entry's marker is not visible outside sshj; its line shows it. Fields: marker, host
            // patterns, key type, base64 key, comment.
            String[] fields = e.getLine().trim().split("\\s+");
            if (fields.length < 4 || !fields[0].equals(REVOKED)) {
                continue;
            }
            try {
                if (e.appliesTo(type, host) && Arrays.equals(blob, Base64.getDecoder().decode(fields[3]))) {
                    return true;
                }
            } catch (IOException | IllegalArgumentException unreadable) {
                // A line we cannot read revokes nothing we can name; sshj reports it as a bad line.
            }
        }
        return false;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        refusal = "host key of " + hostname + " is not known (" + describe(key) + " not in " + file
                + "); check the fingerprint, then add it with: ssh-keyscan" + keyscanArgs(hostname) + " >> " + file;
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        refusal = "host key of " + hostname + " has CHANGED (now " + describe(key) + ", " + file
                + " has another): if the change is expected, remove the old key with: ssh-keygen -f " + file
                + " -R '" + hostname + "'";
        return false;
    }

    private static String describe(PublicKey key) {
        return KeyType.fromKey(key) + " key " + fingerprint(key);
    }

    /** As OpenSSH prints it: "SHA256:" and the unpadded base64 of the SHA-256 of the key's wire form. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** known_hosts spells a non-default port as [host]:port; ssh-keyscan wants -p PORT host. */
    private static String keyscanArgs(String hostname) {
        if (hostname.startsWith("[") && hostname.contains("]:")) {
            int close = hostname.indexOf("]:");
            return " -p " + hostname.substring(close + 2) + " " + hostname.substring(1, close);
        }
        return " " + hostname;
    }
}
