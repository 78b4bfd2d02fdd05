package cairn.tools.cli;

import cairn.store.catalog.PlacementTable;
import cairn.store.catalog.TargetTable;
import cairn.store.placement.PlacementPolicy;
import cairn.store.placement.TargetAdmin;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import cairn.store.targets.SshSettings;
import cairn.store.targets.TargetStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "target", description = {"Places besides the repository that hold copies of its segments:",
        "local directories (another disk, a USB drive, an NFS mount) and SSH hosts (SFTP)."})
public final class TargetCommand extends RepoCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return ExitCodes.FAILURE;
    }

    @Command(name = "add", description = {"Add a target; it must be reachable now. URI: a directory,",
            "sftp://user@host:port/path, or user@host:path. Host keys are checked against known_hosts",
            "(an unknown key is refused, never added)."})
    int add(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "URI") String uri,
            @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (default: ~/.ssh/id_*)") Path identity,
            @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts)") Path knownHosts)
            throws IOException {
        try (Repository repo = openRepo(); RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            TargetTable.Row row = TargetAdmin.add(repo, name, uri, SshSettings.of(identity, knownHosts));
            int held = TargetAdmin.copiesOn(repo, row.id());
            out().println("added target " + row.name() + " (" + row.kind() + ", " + row.uri() + ")"
                    + (held > 0 ? "; it already holds " + held + " of this repository's segments" : "")
                    + "; cairn push copies segments there");
        }
        return ExitCodes.OK;
    }

    @Command(name = "remove", description = {"Forget a target (its files stay where they are). Refused while it",
            "holds the only copy of any segment, unless --force."})
    int remove(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--force", description = "remove even if segments would be lost") boolean force)
            throws IOException {
        try (Repository repo = openRepo(); RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            TargetAdmin.remove(repo, name, force);
            out().println("removed target " + name);
        }
        return ExitCodes.OK;
    }

    @Command(name = "policy", description = {"Show or set the placement policy: 'mirror' (every target gets every",
            "segment; the default) or 'spread --copies N' (each segment on N targets, most free space first)."})
    int policy(@Parameters(paramLabel = "mirror|spread", arity = "0..1") String mode,
               @Option(names = "--copies", paramLabel = "N", description = "with spread: copies per segment") Integer copies)
            throws IOException {
        try (Repository repo = openRepo()) {
            if (mode == null) {
                out().println(PlacementPolicy.read(repo.catalog()).text());
                return ExitCodes.OK;
            }
            PlacementPolicy p = switch (mode) {
                case "mirror" -> PlacementPolicy.MIRROR;
                case "spread" -> {
                    if (copies == null) {
                        throw new IllegalArgumentException("spread needs --copies N: how many targets get each segment");
                    }
                    yield PlacementPolicy.spread(copies);
                }
                default -> throw new IllegalArgumentException("unknown policy '" + mode + "': use mirror or spread --copies N");
            };
            if (p.mirror() && copies != null) {
                throw new IllegalArgumentException("--copies goes with spread; mirror puts every segment on every target");
            }
            try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
                p.write(repo.catalog());
            }
            out().println("placement policy: " + p.text());
            int targets = repo.catalog().targets().all().size();
            if (!p.mirror() && p.copies() > targets) {
                err().println("cairn: note: " + (targets == 1 ? "there is 1 target" : "there are " + targets + " targets")
                        + "; until there are " + p.copies() + ", push reports the missing copies and evict keeps the"
                        + " local ones");
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "list", description = {"List targets: kind, URI, segments and bytes held, free space (asked of",
            "each target now), last successful push. Exit status 1 when a target cannot be reached."})
    int list(@Option(names = "--json", description = "print a JSON array") boolean json) throws IOException {
        try (Repository repo = openRepo()) {
            Map<Long, long[]> held = new HashMap<>();
            for (PlacementTable.Placement p : repo.catalog().placements().all()) {
                long[] h = held.computeIfAbsent(p.target(), k -> new long[2]);
                h[0]++;
                h[1] += p.bytes();
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            boolean allReached = true;
            for (TargetTable.Row t : repo.catalog().targets().all()) {
                Long free = null;
                String error = null;
                try (TargetStore s = TargetAdmin.openVerified(repo, t)) {
                    long f = s.freeBytes();
                    free = f < 0 ? null : f;
                } catch (IOException e) {
                    error = e.getMessage();
                    allReached = false;
                    err().println("cairn: target " + t.name() + ": " + e.getMessage());
                }
                long[] h = held.getOrDefault(t.id(), new long[2]);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.name());
                m.put("kind", t.kind());
                m.put("uri", t.uri());
                m.put("segments", h[0]);
                m.put("bytes", h[1]);
                m.put("free_bytes", free);
                m.put("last_success", t.lastSuccessNs() == 0 ? null : Sizes.isoTime(t.lastSuccessNs()));
                m.put("error", error);
                if (!json && t.lastSuccessNs() != 0) {
                    m.put("last_success_local", Sizes.time(t.lastSuccessNs()));
                }
                rows.add(m);
            }
            if (json) {
                out().println(Json.write(rows));
            } else {
                out().println("policy: " + PlacementPolicy.read(repo.catalog()).text());
                out().printf("%-12s %-6s %9s %10s %10s  %-19s  %s%n", "NAME", "KIND", "SEGMENTS", "BYTES", "FREE",
                        "LAST SUCCESS", "URI");
                for (Map<String, Object> m : rows) {
                    out().printf("%-12s %-6s %9d %10s %10s  %-19s  %s%n", m.get("name"), m.get("kind"), m.get("segments"),
                            Sizes.bytes((Long) m.get("bytes")),
                            m.get("free_bytes") == null ? (m.get("error") == null ? "?" : "unreachable")
                                    : Sizes.bytes((Long) m.get("free_bytes")),
                            m.get("last_success") == null ? "never" : m.get("last_success_local"),
                            m.get("uri"));
                }
            }
            return allReached ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
