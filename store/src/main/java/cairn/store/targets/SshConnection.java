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
import java.util.concurrent.TimeUnit;
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
    private final TimedSocket socket;
    private final Liveness liveness;
    private final boolean forReading;
    private volatile TargetUnavailableException cutBecause;
    private RemoteShell shell;

    private SshConnection(SSHClient ssh, SFTPClient sftp, TimedSocket socket, String where, boolean forReading) {
        this.ssh = ssh;
        this.sftp = sftp;
        this.socket = socket;
        this.liveness = new Liveness(socket, where, this::ping, this::cut);
        this.forReading = forReading;
    }

    static SshConnection open(TargetUri uri, SshSettings settings) throws IOException {
        return open(uri, settings, false);
    }

    /**
     * Opens a connection; one {@code forReading} is also given up when the host sends nothing for
     * {@link Liveness#boundMs()} (see {@link ConnectDeadline}), and waits at most that long for the host's
     * answer when it is closed.
     */
    static SshConnection open(TargetUri uri, SshSettings settings, boolean forReading) throws IOException {
        SSHClient ssh = new SSHClient(config());
        String where = uri.user() + "@" + uri.hostAndPort();
        HostKeyCheck hostKeys = null;
        try (ConnectDeadline deadline = ConnectDeadline.start(forReading ? Liveness.boundMs() : 0)) {
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
                if (forReading) {
                    // Closing a channel or the connection waits for the host's answer this long at most
                    // (sshj's default is 30 s per step): a reader done with a host that has stopped
                    // answering must not hang on its way out.
                    ssh.getConnection().setTimeoutMs((int) Math.min(Integer.MAX_VALUE, Liveness.boundMs()));
                }
                return new SshConnection(ssh, sftp, deadline.socket(), where, forReading);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ssh);
                if (deadline.expired()) {
                    throw new TargetUnavailableException("cannot reach " + where + ": " + deadline.why(), e);
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

    /** How readers on this connection tell a host that stopped answering. */
    Liveness liveness() {
        return liveness;
    }

    /** Asks the host's SSH server for a reply, without waiting for it: any answer shows the host is there. */
    private void ping() {
        try {
            ssh.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0]);
        } catch (IOException | RuntimeException e) {
            // A connection that cannot even send is failing: the reader waiting on it hears so.
        }
    }

    /**
     * Cuts the connection without a word to the host, which is not answering: closing its socket fails
     * every request waiting on it at once. {@link #close()} afterwards then has nothing to wait for.
     */
    void cut() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed either way.
        }
    }

    /** {@link #cut()}, because the host was found not answering: what the other users of it are told. */
    void cut(TargetUnavailableException why) {
        if (cutBecause == null) {
            cutBecause = why;
        }
        cut();
    }

    /** Why this connection was cut, when it was for the host not answering; else null. */
    TargetUnavailableException cutBecause() {
        return cutBecause;
    }

    boolean isConnected() {
        // The socket first: once cut, sshj notices only when its reader thread gets to it.
        return !socket.isClosed() && ssh.isConnected() && ssh.isAuthenticated();
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
        if (forReading && System.nanoTime() - socket.lastInputNs() > TimeUnit.MILLISECONDS.toNanos(Liveness.boundMs()) / 4) {
            // Not heard from lately, perhaps gone: closing politely would wait for its answers (up to the
            // bound at each step). A reader has nothing to finish there; a live host sees the TCP close.
            cut();
        }
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
