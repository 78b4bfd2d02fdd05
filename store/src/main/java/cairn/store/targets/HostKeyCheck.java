package cairn.store.targets;

import java.io.File;
import java.io.IOException;
import java.security.PublicKey;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host keys checked against an OpenSSH known_hosts file. An unknown or changed key is refused, never
 * added: the message says what was offered and how to add it after checking it, which is the
 * user's decision, not ours.
 */
final class HostKeyCheck extends OpenSSHKnownHosts {
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
        return KeyType.fromKey(key) + " key " + SecurityUtils.getFingerprint(key);
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
