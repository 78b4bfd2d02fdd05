package cairn.tools;

import cairn.tools.cli.BackupCommand;
import cairn.tools.cli.CheckCommand;
import cairn.tools.cli.ErrorsCommand;
import cairn.tools.cli.EvictCommand;
import cairn.tools.cli.ExitCodes;
import cairn.tools.cli.FindCommand;
import cairn.tools.cli.InitCommand;
import cairn.tools.cli.LsCommand;
import cairn.tools.cli.MountCommand;
import cairn.tools.cli.PushCommand;
import cairn.tools.cli.RecoverCommand;
import cairn.tools.cli.RepoOptions;
import cairn.tools.cli.RestoreCommand;
import cairn.tools.cli.SnapshotsCommand;
import cairn.tools.cli.StatsCommand;
import cairn.tools.cli.SyncCommand;
import cairn.tools.cli.TargetCommand;
import cairn.tools.cli.UmountCommand;
import cairn.tools.cli.VerifyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command: one subcommand class per verb. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Deduplicating, compressed backups of directory trees.",
        subcommands = {InitCommand.class, BackupCommand.class, SnapshotsCommand.class, ErrorsCommand.class,
                LsCommand.class, FindCommand.class, RestoreCommand.class, CheckCommand.class, VerifyCommand.class, SyncCommand.class,
                StatsCommand.class,
                MountCommand.class, UmountCommand.class,
                TargetCommand.class, PushCommand.class, EvictCommand.class, RecoverCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    @CommandLine.Mixin
    RepoOptions repo;

    public RepoOptions repoOptions() {
        return repo;
    }

    public static void main(String[] args) {
        Preload.start();
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs one command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(ExitCodes::handle);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("cairn: " + ex.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }
}
