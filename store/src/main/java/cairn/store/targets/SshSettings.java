package cairn.store.targets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to authenticate to SSH targets and how to check their host keys. Stored per target as the
 * {@code options} text ({@code identity=FILE}, {@code known_hosts=FILE}, one per line); what is not
 * given comes from the user's SSH directory: {@code $CAIRN_SSH_DIR}, else {@code $HOME/.ssh}.
 */
public record SshSettings(Path identity, Path knownHosts) {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    public static SshSettings of(Path identity, Path knownHosts) {
        return new SshSettings(identity == null ? null : identity.toAbsolutePath(),
                knownHosts == null ? null : knownHosts.toAbsolutePath());
    }

    /** Parses the catalog's options text; unknown keys are ignored (a newer cairn may add some). */
    public static SshSettings parse(String options) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : (options == null ? "" : options).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return new SshSettings(m.containsKey("identity") ? Path.of(m.get("identity")) : null,
                m.containsKey("known_hosts") ? Path.of(m.get("known_hosts")) : null);
    }

    public String options() {
        StringBuilder sb = new StringBuilder();
        if (identity != null) {
            sb.append("identity=").append(identity).append('\n');
        }
        if (knownHosts != null) {
            sb.append("known_hosts=").append(knownHosts).append('\n');
        }
        return sb.toString();
    }

    static Path sshDir() {
        String dir = System.getenv("CAIRN_SSH_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home, ".ssh");
    }

    Path knownHostsFile() {
        return knownHosts != null ? knownHosts : sshDir().resolve("known_hosts");
    }

    /** The private keys to offer: the one given, else the user's default ones that exist. */
    List<Path> identities() {
        if (identity != null) {
            return List.of(identity);
        }
        List<Path> out = new ArrayList<>();
        for (String k : DEFAULT_KEYS) {
            Path p = sshDir().resolve(k);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
