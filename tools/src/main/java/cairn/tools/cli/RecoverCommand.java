package cairn.tools.cli;

import cairn.store.placement.Recovery;
import cairn.store.targets.SshSettings;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recover", description = {"Rebuild a repository from one target alone: its catalog copy and its",
        "segments. The new repository reads its data from the targets; push to a local target to bring it home."})
public final class RecoverCommand extends RepoCommand {
    @Option(names = "--from", paramLabel = "URI", required = true,
            description = "the target: a directory, sftp://user@host:port/path or user@host:path")
    String from;

    @Parameters(paramLabel = "NEWREPO", description = "directory for the rebuilt repository (missing or empty)")
    Path newRepo;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (default: ~/.ssh/id_*)")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts)")
    Path knownHosts;

    @Override
    public Integer call() throws Exception {
        Path dir = newRepo.toAbsolutePath();
        Recovery.Result r = Recovery.recover(from, SshSettings.of(identity, knownHosts), dir);
        out().printf("recovered repository %s at %s from target %s: %d snapshots, %d segments (read from the"
                + " targets)%n", r.repositoryId(), dir, r.targetName(), r.snapshots(), r.segments());
        return ExitCodes.OK;
    }
}
