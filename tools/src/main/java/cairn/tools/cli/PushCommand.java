package cairn.tools.cli;

import cairn.store.placement.Push;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "push", description = {"Place segments still missing on their targets, then give each target a",
        "copy of the catalog. Resumable: run it again after an interruption. Prints nothing when there was",
        "nothing to do; exit status 1 when a target could not be reached or a copy failed."})
public final class PushCommand extends RepoCommand {
    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "wait this long for another writer to finish (default 0)")
    long lockWait;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        try (Repository repo = openRepo()) {
            if (repo.catalog().targets().all().isEmpty()) {
                err().println("cairn: no targets; add one with: cairn target add NAME URI");
                return ExitCodes.FAILURE;
            }
            Push.Result r = run(repo, Duration.ofSeconds(lockWait), err());
            if (r.placed() > 0) {
                long took = System.nanoTime() - t0;
                String copies = r.placed() == r.segments() ? "" : r.placed() + " copies of ";
                out().printf("pushed %s%d segment%s (%s) to %d target%s in %.1f s (%s)%n", copies, r.segments(),
                        r.segments() == 1 ? "" : "s", Sizes.bytes(r.bytes()), r.targetsSentTo(),
                        r.targetsSentTo() == 1 ? "" : "s", took / 1e9, Sizes.rate(r.bytes(), took));
            }
            return report(r, err()) ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** Runs a push under the writer lock, with a progress line on a terminal. */
    static Push.Result run(Repository repo, Duration lockWait, PrintWriter err) throws IOException {
        try (RepoLock lock = repo.lockForWriting(lockWait)) {
            String[] status = {""};
            try (Progress p = new Progress(err, () -> status[0])) {
                return new Push(repo, s -> status[0] = s).run();
            }
        }
    }

    /** One stderr line per problem; true when there were none. */
    static boolean report(Push.Result r, PrintWriter err) {
        for (String p : r.problems()) {
            err.println("cairn: push: " + p);
        }
        err.flush();
        return r.ok();
    }

    /**
     * The push that follows a backup when the repository has targets. Prints only problems (stdout's
     * last line stays the snapshot id); true when every target has what it should.
     */
    static boolean afterBackup(Repository repo, Duration lockWait, PrintWriter err) throws IOException {
        if (repo.catalog().targets().all().isEmpty()) {
            return true;
        }
        return report(run(repo, lockWait, err), err);
    }
}
