package cairn.store.targets;

import cairn.store.repo.Require;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for one test: listens on 127.0.0.1 on a free port, with its own host key,
 * client key, authorized_keys and config in a temporary directory, and nothing of the machine's own
 * SSH setup. Stopped by PID, with the per-connection processes it forked.
 */
final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    final Path identity;
    final Path knownHosts;
    final int port;
    private final Path config;
    private Process process;
    /** What {@link #freezeAll()} or {@link #freezeSftpServers()} stopped and nothing resumed yet. */
    private final java.util.Set<Long> frozen = new java.util.LinkedHashSet<>();

    private Sshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.identity = dir.resolve("client_key");
        this.knownHosts = dir.resolve("known_hosts");
        this.config = dir.resolve("sshd_config");
    }

    /** Starts a server; skips the test (fails under CAIRN_REQUIRE_ALL=1) when sshd cannot run here. */
    static Sshd start(Path tmp) throws Exception {
        return start(tmp, false);
    }

    /** With {@code sftpOnly}, the account runs no commands, as on hosts that offer only SFTP. */
    static Sshd start(Path tmp, boolean sftpOnly) throws Exception {
        return start(tmp, sftpOnly, List.of("ed25519"));
    }

    /**
     * A server with one host key of each of {@code hostKeyTypes} (ssh-keygen's -t: ed25519, ecdsa,
     * ecdsa-384, ecdsa-521, rsa), all of them in {@link #knownHosts}.
     */
    static Sshd start(Path tmp, boolean sftpOnly, List<String> hostKeyTypes) throws Exception {
        Require.that(Files.isExecutable(SSHD), "no " + SSHD + " (install openssh-server)");
        Require.that(Require.hasCommand("ssh-keygen"), "no ssh-keygen");
        Require.that(Require.isRoot(), "sshd for tests runs as root here");
        // sshd insists on its privilege separation directory; the package's service creates it at boot.
        Files.createDirectories(Path.of("/run/sshd"));
        Path dir = Files.createDirectories(tmp.resolve(sftpOnly ? "sshd-sftp-only" : "sshd"));
        Sshd s = new Sshd(dir, freePort());
        StringBuilder hostKeys = new StringBuilder();
        StringBuilder known = new StringBuilder();
        for (String type : hostKeyTypes) {
            Path key = s.keygen(type, "host_key_" + type);
            hostKeys.append("HostKey ").append(key).append('\n');
            known.append("[127.0.0.1]:").append(s.port).append(' ').append(Files.readString(s.hostKeyPub(type)));
        }
        s.keygen("ed25519", "client_key");
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        Files.writeString(s.knownHosts, known);
        Files.writeString(s.config, String.join("\n",
                "Port " + s.port,
                "ListenAddress 127.0.0.1",
                hostKeys.toString().strip(),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin yes",
                "UsePAM no",
                "MaxSessions 64",
                "MaxStartups 64",
                sftpOnly ? "Subsystem sftp internal-sftp\nForceCommand internal-sftp" : "Subsystem sftp /usr/lib/openssh/sftp-server",
                "LogLevel ERROR", ""));
        s.start();
        return s;
    }

    /** The public half of this server's host key of {@code type}. */
    Path hostKeyPub(String type) {
        return dir.resolve("host_key_" + type + ".pub");
    }

    /** A new client key of {@code type} without a passphrase, which the server accepts. */
    Path addClientKey(String type) throws IOException, InterruptedException {
        Path key = keygen(type, "client_key_" + type);
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        return key;
    }

    /** {@code type} as ssh-keygen's -t, or ecdsa-384 / ecdsa-521 for the larger curves. */
    Path keygen(String type, String name) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "cairn-test",
                "-f", dir.resolve(name).toString()));
        if (type.startsWith("ecdsa-")) {
            cmd.addAll(List.of("-t", "ecdsa", "-b", type.substring("ecdsa-".length())));
        } else {
            cmd.addAll(List.of("-t", type));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
        return dir.resolve(name);
    }

    private static int freePort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        }
    }

    /** (Re)starts the server on the same port with the same keys. */
    void start() throws Exception {
        process = new ProcessBuilder(List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("sshd does not listen on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server and every connection it serves, as a host going down would. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (!frozen.isEmpty()) {
            try {
                thawAll(); // a stopped process is killed all the same; resumed, it also leaves no stopped child behind
                Thread.sleep(300); // and finishes what it was doing (a login shell's startup files) first
            } catch (IOException | RuntimeException e) {
                System.err.println("cannot resume sshd before stopping it: " + e);
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /**
     * Freezes the listening server (SIGSTOP): the kernel still accepts connections, but nothing answers,
     * as with a hung host. {@link #thaw()} resumes it.
     */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /**
     * Freezes the whole host as far as SSH goes: the listener and every process it forked for the
     * connections it serves (their privileged monitors, sessions and SFTP servers) get SIGSTOP. Open
     * connections stay open, since the kernel keeps their sockets, and nothing answers on them, nor on
     * new ones. {@link #thawAll()} resumes them all; {@link #stop()} does too.
     */
    void freezeAll() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        // The listener first, so it forks nothing new meanwhile; then its descendants until none is left
        // running (a session may have been forking its SFTP server while the others were stopped).
        signal("STOP", List.of(process.pid()));
        frozen.add(process.pid());
        while (true) {
            List<Long> more = process.descendants().map(ProcessHandle::pid).filter(p -> !frozen.contains(p)).toList();
            if (more.isEmpty()) {
                return;
            }
            signal("STOP", more);
            frozen.addAll(more);
        }
    }

    /**
     * Stops only the SFTP servers of the open connections: the host still answers at the SSH level (a
     * keepalive), as one whose SFTP server waits for a disk waking from standby. Returns how many.
     */
    int freezeSftpServers() throws IOException, InterruptedException {
        List<Long> sftp = process.descendants().filter(p -> p.info().command().orElse("").endsWith("sftp-server"))
                .map(ProcessHandle::pid).toList();
        if (!sftp.isEmpty()) {
            signal("STOP", sftp);
            frozen.addAll(sftp);
        }
        return sftp.size();
    }

    /** Resumes what {@link #freezeAll()} or {@link #freezeSftpServers()} stopped. */
    void thawAll() throws IOException, InterruptedException {
        if (frozen.isEmpty()) {
            return;
        }
        List<Long> alive = frozen.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList();
        frozen.clear();
        if (!alive.isEmpty()) {
            signal("CONT", alive);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        signal(name, List.of(process.pid()));
    }

    private static void signal(String name, List<Long> pids) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Process kill = new ProcessBuilder(cmd).inheritIO().start();
        // kill signals every process it can; one that exited meanwhile (a connection that ended) is no failure.
        if (kill.waitFor() != 0 && pids.stream().allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    String uri(Path path) {
        return "sftp://root@127.0.0.1:" + port + path;
    }

    /** This server's keys instead of the user's. */
    SshSettings settings() {
        return SshSettings.of(identity, knownHosts);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
