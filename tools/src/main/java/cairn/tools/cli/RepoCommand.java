package cairn.tools.cli;

import cairn.store.repo.Repository;
import cairn.tools.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every verb that works on a repository shares: finding it, opening it, its output streams. */
abstract class RepoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    RepoOptions.Choice repoChoice() {
        return main.repoOptions().choose();
    }

    /** Opens an existing repository; a missing one is an error naming how to create it. */
    Repository openRepo() throws IOException {
        return Repository.open(repoChoice().dir());
    }
}
