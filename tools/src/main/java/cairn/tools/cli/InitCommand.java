package cairn.tools.cli;

import cairn.store.repo.Repository;
import picocli.CommandLine.Command;

@Command(name = "init", description = "Create an empty repository.")
public final class InitCommand extends RepoCommand {
    @Override
    public Integer call() throws Exception {
        var dir = repoChoice().dir();
        try (Repository r = Repository.init(dir)) {
            out().println("created cairn repository " + r.id() + " at " + dir);
        }
        return ExitCodes.OK;
    }
}
