package cairn.store.targets;

import java.io.IOException;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public-key authentication (RFC 4252, section 7) with a key the SSH agent holds: the server is first
 * asked whether it would accept the key, and only then is the agent asked to sign the request.
 */
final class AgentAuth extends AbstractAuthMethod {
    private final SshAgent agent;
    private final SshAgent.Identity key;
    private final String algorithm;
    private final int flags;
    private final ConnectDeadline deadline;

    AgentAuth(SshAgent agent, SshAgent.Identity key, ConnectDeadline deadline) {
        super("publickey");
        this.agent = agent;
        this.key = key;
        this.deadline = deadline;
        // An RSA key is offered with SHA-256 signatures: current servers refuse SHA-1 ones (ssh-rsa).
        boolean rsa = key.type().equals("ssh-rsa") || key.type().equals("ssh-rsa-cert-v01@openssh.com");
        this.algorithm = rsa ? key.type().replace("ssh-rsa", "rsa-sha2-256") : key.type();
        this.flags = rsa ? SshAgent.RSA_SHA2_256 : 0;
    }

    /** The query: would the server take this key? */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK: it would, so sign
            params.getTransport().write(signed());
        } else {
            super.handle(cmd, buf);
        }
    }

    private SSHPacket request(boolean withSignature) throws UserAuthException {
        SSHPacket p = super.buildReq();
        p.putBoolean(withSignature).putString(algorithm).putString(key.blob());
        return p;
    }

    private SSHPacket signed() throws UserAuthException {
        SSHPacket req = request(true);
        // Signed: the session id, then the request itself from its message byte on.
        byte[] data = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(req)
                .getCompactData();
        try {
            return req.putString(deadline.notCounting(() -> agent.sign(key.blob(), data, flags)));
        } catch (IOException e) {
            throw new UserAuthException("the SSH agent did not sign with key " + key.comment() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "agent key " + key.comment() + " (" + key.type() + ")";
    }
}
