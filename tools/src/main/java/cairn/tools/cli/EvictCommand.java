package cairn.tools.cli;

import cairn.store.placement.Evictor;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evict", description = {"Drop local copies of segments that have at least the policy's number of",
        "verified copies on targets (each is checked there first); reads then come from the targets.",
        "Oldest segments go first. Exit status 1 when a target could not be reached."})
public final class EvictCommand extends RepoCommand {
    @Option(names = "--keep-local", paramLabel = "SIZE", defaultValue = "0",
            description = "keep up to SIZE of the newest segments here (e.g. 20G; default 0)")
    String keepLocal;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "wait this long for another writer to finish (default 0)")
    long lockWait;

    @Override
    public Integer call() throws Exception {
        long keep = SizeArg.parse(keepLocal);
        try (Repository repo = openRepo()) {
            if (repo.catalog().targets().all().isEmpty()) {
                err().println("cairn: no targets: every segment's only copy is here; add one with: cairn target add NAME URI");
                return ExitCodes.FAILURE;
            }
            Evictor.Result r;
            try (RepoLock lock = repo.lockForWriting(Duration.ofSeconds(lockWait))) {
                r = new Evictor(repo).run(keep);
            }
            if (r.dropped() > 0) {
                out().printf("dropped %d local segment%s (%s); %d kept here (%s)%n", r.dropped(),
                        r.dropped() == 1 ? "" : "s", Sizes.bytes(r.droppedBytes()), r.keptLocal(), Sizes.bytes(r.keptBytes()));
            }
            for (String p : r.problems()) {
                err().println("cairn: evict: " + p);
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
