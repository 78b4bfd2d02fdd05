package cairn.store.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One {@code sh} kept running on the host for the short commands placing a file needs (hash,
 * rename, fsync of a directory). A command sent through it costs no new session, no login shell and
 * no rc files, which on some hosts take longer than hashing a whole segment. Commands run one at a
 * time; each ends with a marker line carrying its exit status. Not thread-safe: one per connection,
 * and a connection serves one thread at a time.
 */
final class RemoteShell implements AutoCloseable {
    private static final String MARK = "__cairn_status__ ";
    private static final long START_TIMEOUT_S = 15;

    private final Session session;
    private final OutputStream stdin;
    private final BufferedReader stdout;

    /** Thrown when the account has no usable shell (an SFTP-only account, say). */
    static final class NoShellException extends IOException {
        NoShellException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RemoteShell(Session session, Session.Command command) {
        this.session = session;
        this.stdin = command.getOutputStream();
        this.stdout = new BufferedReader(new InputStreamReader(command.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the shell and checks it answers within {@link #START_TIMEOUT_S}: an account forced into
     * SFTP would otherwise read our commands as SFTP packets and never answer.
     */
    static RemoteShell start(SSHClient ssh) throws IOException {
        Session s = ssh.startSession();
        RemoteShell shell;
        try {
            shell = new RemoteShell(s, s.exec("exec sh"));
        } catch (IOException e) {
            s.close();
            throw new NoShellException("the host runs no commands for this account: " + e.getMessage(), e);
        }
        CompletableFuture<Result> probe = CompletableFuture.supplyAsync(() -> {
            try {
                return shell.run("echo ready");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            Result r = probe.get(START_TIMEOUT_S, TimeUnit.SECONDS);
            if (r.status() != 0 || !r.out().strip().equals("ready")) {
                throw new NoShellException("the host's shell does not answer as sh does", null);
            }
            return shell;
        } catch (TimeoutException | ExecutionException e) {
            shell.close();
            throw new NoShellException("the host runs no shell for this account", e);
        } catch (InterruptedException e) {
            shell.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a shell", e);
        }
    }

    record Result(int status, String out) {
    }

    /** Runs {@code command} (its stderr joins its stdout) and returns its status and output. */
    Result run(String command) throws IOException {
        stdin.write(("{ " + command + "\n} 2>&1 </dev/null; echo \"" + MARK + "$?\"\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        StringBuilder out = new StringBuilder();
        for (String line; (line = stdout.readLine()) != null; ) {
            if (line.startsWith(MARK)) {
                return new Result(Integer.parseInt(line.substring(MARK.length()).trim()), out.toString());
            }
            out.append(line).append('\n');
        }
        throw new IOException("the remote shell ended unexpectedly" + (out.isEmpty() ? "" : ": " + out.toString().strip()));
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (IOException ignored) {
            // The connection is going away or already gone.
        }
    }
}
