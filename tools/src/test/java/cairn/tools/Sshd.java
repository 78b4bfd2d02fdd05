package cairn.tools;

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
    /** What {@link #freezeAll()} stopped and nothing resumed yet. */
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

    /**
     * With {@code sftpInSshd}, SFTP is served by sshd's own session process (internal-sftp) instead of a
     * program started through the account's login shell; commands still run in that shell. For tests
     * that {@link #freezeAll() freeze} the server: a login shell frozen (then killed) half-way through its
     * startup files may leave behind what other logins on this machine wait for (a lock file of a shell
     * tool's), which SFTP sessions then never start.
     */
    static Sshd start(Path tmp, boolean sftpInSshd) throws Exception {
        Require.that(Files.isExecutable(SSHD), "no " + SSHD + " (install openssh-server)");
        Require.that(Require.hasCommand("ssh-keygen"), "no ssh-keygen");
        Require.that(Require.isRoot(), "sshd for tests runs as root here");
        // sshd insists on its privilege separation directory; the package's service creates it at boot.
        Files.createDirectories(Path.of("/run/sshd"));
        Path dir = Files.createDirectories(tmp.resolve("sshd"));
        Sshd s = new Sshd(dir, freePort());
        s.keygen("host_key");
        s.keygen("client_key");
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        Files.writeString(s.knownHosts, "[127.0.0.1]:" + s.port + " " + Files.readString(dir.resolve("host_key.pub")));
        Files.writeString(s.config, String.join("\n",
                "Port " + s.port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
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
                sftpInSshd ? "Subsystem sftp internal-sftp" : "Subsystem sftp /usr/lib/openssh/sftp-server",
                "LogLevel ERROR", ""));
        s.start();
        return s;
    }

    private void keygen(String name) {
        Proc.sh(dir, "ssh-keygen -q -t ed25519 -N '' -C cairn-test -f " + name);
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

    /** Resumes what {@link #freezeAll()} stopped. */
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

    /** The PIDs of the processes serving connections now (the listener's descendants). */
    List<Long> sessionPids() {
        return process == null ? List.of() : process.descendants().map(ProcessHandle::pid).toList();
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

    /** The options that point cairn at this server's keys instead of the user's. */
    List<String> sshOptions() {
        return List.of("--identity", identity.toString(), "--known-hosts", knownHosts.toString());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
