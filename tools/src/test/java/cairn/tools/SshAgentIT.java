package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in to a target with a key the user's ssh-agent holds: a key with a passphrase, which cairn
 * could not use from its file, unlocked once with ssh-add. The agent and sshd are real; cairn runs in
 * a JVM of its own, since $SSH_AUTH_SOCK is read from the environment.
 */
class SshAgentIT {
    private static final String PASSPHRASE = "correct horse battery staple";
    @TempDir
    Path tmp;
    private Sshd sshd;
    private Process agent;
    private Path socket;
    private Path sshDir;

    @BeforeEach
    void servers() throws Exception {
        sshd = Sshd.start(tmp);
        Require.that(Require.hasCommand("ssh-agent") && Require.hasCommand("ssh-add"), "no ssh-agent or ssh-add");
        sshDir = Files.createDirectories(tmp.resolve("home-ssh"));
        socket = tmp.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "ssh-agent did not create its socket");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        sshd.close();
    }

    /** RSA keys sign with SHA-256 through the agent (rsa-sha2-256): the server refuses SHA-1 ones. */
    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void aKeyUnlockedInTheAgentLogsInWhereItsFileCannot(String type) throws Exception {
        // The user's default key has a passphrase; the server accepts it.
        Proc.sh(sshDir, "ssh-keygen -q -t " + type + " -N '" + PASSPHRASE + "' -C locked -f id_" + type);
        Path key = sshDir.resolve("id_" + type);
        Files.writeString(sshd.dir.resolve("authorized_keys"), Files.readString(sshDir.resolve("id_" + type + ".pub")));
        Path repo = tmp.resolve("repo");
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        List<String> withAgent = List.of("env", "-u", "SSH_AUTH_SOCK", "CAIRN_SSH_DIR=" + sshDir,
                "SSH_AUTH_SOCK=" + socket);
        List<String> withoutAgent = List.of("env", "-u", "SSH_AUTH_SOCK", "CAIRN_SSH_DIR=" + sshDir);
        assertEquals(0, cairn(withoutAgent, "--repo", repo.toString(), "init").code());

        // Without the agent the locked key file is all there is, and it is refused as such.
        Proc.Output locked = cairn(withoutAgent, "--repo", repo.toString(), "target", "add", "far",
                sshd.uri(remote), "--known-hosts", sshd.knownHosts.toString());
        assertEquals(1, locked.code(), locked.err());
        assertTrue(locked.err().contains("must not need a passphrase"), locked.err());

        // Unlocked once in the agent, the same key serves: add, back up (which pushes), push again.
        Path askpass = Files.writeString(tmp.resolve("askpass"), "#!/bin/sh\necho '" + PASSPHRASE + "'\n");
        askpass.toFile().setExecutable(true);
        Proc.sh(tmp, "SSH_AUTH_SOCK=" + socket + " SSH_ASKPASS=" + askpass + " SSH_ASKPASS_REQUIRE=force DISPLAY=:0"
                + " ssh-add " + key + " </dev/null");
        Proc.Output add = cairn(withAgent, "--repo", repo.toString(), "target", "add", "far", sshd.uri(remote),
                "--known-hosts", sshd.knownHosts.toString());
        assertEquals(0, add.code(), add.err());
        Path source = Files.createDirectories(tmp.resolve("source"));
        Trees.writeRandom(source.resolve("data"), 7, 1 << 20);
        Proc.Output backup = cairn(withAgent, "--repo", repo.toString(), "backup", source.toString());
        assertEquals(0, backup.code(), backup.err());
        Proc.Output push = cairn(withAgent, "--repo", repo.toString(), "push");
        assertEquals(0, push.code(), push.err());
        try (var segments = Files.walk(remote.resolve("segments"))) {
            assertTrue(segments.anyMatch(p -> p.toString().endsWith(".seg")), "segments were placed on the target");
        }
    }

    private Proc.Output cairn(List<String> env, String... args) {
        List<String> cmd = new ArrayList<>(Proc.cairnCommand(env, null, args));
        return Proc.run(tmp, cmd);
    }
}
