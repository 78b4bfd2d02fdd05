package cairn.store.targets;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;

/**
 * One authenticated SSH connection with its SFTP session. Connection failures come out as
 * {@link TargetUnavailableException} with a message a person can act on.
 */
final class SshConnection implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** How long one SFTP request may take before the connection counts as hung. */
    static final int REQUEST_TIMEOUT_MS = 60_000;
    /** Our receive window: large enough that a fast link is not throttled by window updates. */
    static final long WINDOW_BYTES = 16L << 20;

    static {
        // The JDK's AES-GCM uses the CPU's AES and carry-less multiply instructions; Bouncy Castle's is
        // plain Java and several times slower. sshj still uses Bouncy Castle classes directly for key
        // formats, which needs no provider registration. The one name it asks a provider for that only
        // Bouncy Castle knows, the "ECDSA" key factory, is served with the JDK's EC one.
        SecurityUtils.setRegisterBouncyCastle(false);
        SecurityUtils.setSecurityProvider(null);
        EcdsaKeyFactoryProvider.install();
    }

    private final SSHClient ssh;
    private final SFTPClient sftp;
    private RemoteShell shell;

    private SshConnection(SSHClient ssh, SFTPClient sftp) {
        this.ssh = ssh;
        this.sftp = sftp;
    }

    static SshConnection open(TargetUri uri, SshSettings settings) throws IOException {
        SSHClient ssh = new SSHClient(config());
        String where = uri.user() + "@" + uri.hostAndPort();
        HostKeyCheck hostKeys = null;
        try (ConnectDeadline deadline = ConnectDeadline.start()) {
            try {
                hostKeys = new HostKeyCheck(settings.knownHostsFile().toFile());
                ssh.addHostKeyVerifier(hostKeys);
                ssh.setSocketFactory(deadline.socketFactory());
                ssh.setConnectTimeout(CONNECT_TIMEOUT_MS);
                ssh.getConnection().setWindowSize(WINDOW_BYTES);
                ssh.getConnection().getKeepAlive().setKeepAliveInterval(15);
                ssh.connect(uri.host(), uri.port());
                SshLogin.authenticate(ssh, uri, settings, deadline);
                SFTPClient sftp = ssh.newSFTPClient();
                sftp.getSFTPEngine().setTimeoutMs(REQUEST_TIMEOUT_MS);
                return new SshConnection(ssh, sftp);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ssh);
                if (deadline.expired()) {
                    throw new TargetUnavailableException("cannot reach " + where + ": no answer within "
                            + deadline.limit(), e);
                }
                throw unavailable(where, uri, hostKeys, e);
            }
        }
    }

    /** Why {@code e} kept us from connecting, as a person can act on it; a bug's exception goes on as it is. */
    private static TargetUnavailableException unavailable(String where, TargetUri uri, HostKeyCheck hostKeys,
            Exception e) {
        if (e instanceof TargetUnavailableException t) {
            return t;
        }
        if (e instanceof TransportException && hostKeys != null && hostKeys.refusal() != null) {
            return new TargetUnavailableException(hostKeys.refusal(), e);
        }
        if (e instanceof UnknownHostException) {
            return new TargetUnavailableException("cannot reach " + where + ": unknown host " + uri.host(), e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof SocketTimeoutException) {
            return new TargetUnavailableException("cannot reach " + where + ": " + e.getMessage(), e);
        }
        if (e instanceof IllegalStateException) {
            // sshj's "Not connected": the host closed the connection during authentication.
            return new TargetUnavailableException("cannot reach " + where + ": connection closed ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return new TargetUnavailableException("cannot reach " + where + ": " + message(e), e);
    }

    private static DefaultConfig config() {
        DefaultConfig cfg = new DefaultConfig();
        // A host that stops answering (not one that closes the connection) is noticed within a minute.
        cfg.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        // Fastest first (hardware AES-GCM on both ends); segments are compressed already, so no SSH
        // compression. GCM needs no separate MAC.
        cfg.setCipherFactories(List.of(GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(),
                ChachaPolyCiphers.CHACHA_POLY_OPENSSH(), BlockCiphers.AES128CTR(), BlockCiphers.AES256CTR()));
        return cfg;
    }

    SFTPClient sftp() {
        return sftp;
    }

    boolean isConnected() {
        return ssh.isConnected() && ssh.isAuthenticated();
    }

    /**
     * Runs {@code command} in this connection's shell on the host, started on first use; throws
     * {@link RemoteShell.NoShellException} when the account has none.
     */
    RemoteShell.Result run(String command) throws IOException {
        if (shell == null) {
            shell = RemoteShell.start(ssh);
        }
        return shell.run(command);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void closeQuietly(SSHClient ssh) {
        try {
            ssh.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // Already broken; nothing to release beyond the socket, which disconnect closed.
        }
    }

    @Override
    public void close() {
        if (shell != null) {
            shell.close();
        }
        try {
            sftp.close();
        } catch (IOException | RuntimeException ignored) {
            // The connection goes away next anyway.
        }
        closeQuietly(ssh);
    }
}
