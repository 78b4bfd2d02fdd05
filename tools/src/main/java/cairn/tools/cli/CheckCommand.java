package cairn.tools.cli;

import cairn.store.check.Checker;
import cairn.store.check.Finding;
import cairn.store.repo.RepoLock;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {"Check the repository: catalog, segments, references.",
        "With --read-data, also read and hash every chunk. Exit status 1 when anything is wrong."})
public final class CheckCommand extends RepoCommand {
    @Option(names = "--read-data", description = "read, decompress and verify every chunk")
    boolean readData;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        try (Repository repo = openRepo()) {
            String[] status = {""};
            Checker checker = new Checker(repo, s -> status[0] = s);
            List<Finding> findings;
            try (Progress p = new Progress(err(), () -> status[0])) {
                findings = checker.run(readData);
            }
            for (Finding f : findings) {
                out().println(f);
            }
            if (checker.foundBadCopies()) {
                forgetBadCopies(repo, checker);
            }
            long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
            long took = System.nanoTime() - t0;
            String data = readData ? String.format(", read %d chunks (%s, %s)", checker.chunksRead(),
                    Sizes.bytes(checker.bytesRead()), Sizes.rate(checker.bytesRead(), took)) : "";
            if (errors > 0) {
                err().println("cairn: check found " + errors + " problem" + (errors == 1 ? "" : "s"));
                return ExitCodes.FAILURE;
            }
            out().println("no problems found" + data);
            return ExitCodes.OK;
        }
    }

    /** Bad copies on targets are forgotten when no other writer runs, so the next push replaces them. */
    private void forgetBadCopies(Repository repo, Checker checker) throws IOException {
        try (RepoLock lock = repo.lockForWriting(Duration.ZERO)) {
            int n = checker.forgetBadCopies();
            if (n > 0) {
                out().println("forgot " + n + " bad cop" + (n == 1 ? "y" : "ies") + " on targets: cairn push places"
                        + (n == 1 ? " it" : " them") + " again");
            }
        } catch (RepoLock.RepositoryLockedException e) {
            out().println("the records of the bad copies stay: another writer runs; check again later, then push");
        }
    }
}
