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
import cairn.tools.cli.RawArgs;
import cairn.tools.cli.RecoverCommand;
import cairn.tools.cli.RepoOptions;
import cairn.tools.cli.RestoreCommand;
import cairn.tools.cli.SnapshotsCommand;
import cairn.tools.cli.StatsCommand;
import cairn.tools.cli.SyncCommand;
import cairn.tools.cli.TargetCommand;
import cairn.tools.cli.TargetPath;
import cairn.tools.cli.UmountCommand;
import cairn.tools.cli.UsageErrors;
import cairn.tools.cli.VerifyCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} command: one subcommand class per verb.
 *
 * <p>Only the subcommand named on the command line is registered with picocli. Building the model of
 * all of them loaded and reflected over every command class and what their fields name, about a
 * tenth of a second at every start; a nightly backup, a sync or a mount needs one. Help, an unknown
 * name or no name at all get every subcommand, so usage and "did you mean" stay complete.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "cairn 0.1.0",
        description = "Deduplicating, compressed backups of directory trees, disk images and block devices.")
public final class Main {
    /** The subcommands, in the order help lists them. */
    private static final List<String> NAMES = List.of("init", "backup", "snapshots", "errors", "ls", "find",
            "restore", "check", "verify", "sync", "stats", "mount", "umount", "target", "push", "evict", "recover");

    @CommandLine.Mixin
    RepoOptions repo;

    public RepoOptions repoOptions() {
        return repo;
    }

    public static void main(String[] args) {
        NativeTmpDir.choose();
        Preload.start();
        int code = run(RawArgs.recover(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Stack for the thread that runs a command: walking, restoring and verifying a tree recurse once per
     * directory level, and a JVM thread's default 1 MiB ends near a thousand levels, which a tree can
     * pass (its paths are not bounded by PATH_MAX here). Only reserved: pages are used as reached.
     */
    private static final long COMMAND_STACK_BYTES = 1L << 30;

    /** Runs one command line with the given streams, on a thread with a deep stack; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int[] code = {ExitCodes.FAILURE};
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> code[0] = execute(args, out, err), "cairn-command", COMMAND_STACK_BYTES);
        t.setUncaughtExceptionHandler((thread, e) -> failed[0] = e);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            return ExitCodes.FAILURE;
        }
        if (failed[0] instanceof VirtualMachineError vm) {
            return ExitCodes.handleFatal(vm, err);
        } else if (failed[0] instanceof RuntimeException re) {
            throw re;
        } else if (failed[0] instanceof Error er) {
            throw er;
        }
        return code[0];
    }

    private static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        String named = subcommandName(args);
        if (named != null && NAMES.contains(named)) {
            cl.addSubcommand(command(named));
        } else {
            for (String name : NAMES) {
                cl.addSubcommand(command(name));
            }
            cl.addSubcommand(new CommandLine.HelpCommand());
        }
        // Paths come from the argument's bytes, which may not be UTF-8 (see RawArgs).
        cl.registerConverter(java.nio.file.Path.class, Main::pathArgument);
        cl.registerConverter(TargetPath.class, arg -> TargetPath.of(pathArgument(arg), arg));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(ExitCodes::handle);
        cl.setExecutionStrategy(UsageErrors::execute);
        cl.setParameterExceptionHandler(UsageErrors::report);
        return cl.execute(args);
    }

    /**
     * An empty argument is refused rather than taken as the current directory, as Path.of("") would:
     * it is what a script's unset variable gives, and a restore or sync into "." would overwrite files.
     */
    private static java.nio.file.Path pathArgument(String arg) {
        if (arg.isEmpty()) {
            throw new CommandLine.TypeConversionException("an empty path names nothing (an unset variable?)");
        }
        return RawArgs.path(arg);
    }

    /** The first argument that is neither an option of cairn's own nor its value: the subcommand's name. */
    static String subcommandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--repo")) {
                i++; // its value
            } else if (a.equals("--")) {
                return null;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** Each class literal is resolved only when its branch runs, so only the named command's class loads. */
    private static Class<?> command(String name) {
        return switch (name) {
            case "init" -> InitCommand.class;
            case "backup" -> BackupCommand.class;
            case "snapshots" -> SnapshotsCommand.class;
            case "errors" -> ErrorsCommand.class;
            case "ls" -> LsCommand.class;
            case "find" -> FindCommand.class;
            case "restore" -> RestoreCommand.class;
            case "check" -> CheckCommand.class;
            case "verify" -> VerifyCommand.class;
            case "sync" -> SyncCommand.class;
            case "stats" -> StatsCommand.class;
            case "mount" -> MountCommand.class;
            case "umount" -> UmountCommand.class;
            case "target" -> TargetCommand.class;
            case "push" -> PushCommand.class;
            case "evict" -> EvictCommand.class;
            case "recover" -> RecoverCommand.class;
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }
}
