package cairn.tools.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Command lines cairn cannot take, each refused with one line on stderr and exit status 1. Picocli lets
 * a help option win over an argument it could not place: {@code cairn frobnicate --help} printed the
 * help and exited 0, and a script with a mistyped command in it would seem to work. An argument that
 * fits nowhere is an error whatever else the line asks for.
 */
public final class UsageErrors {
    private UsageErrors() {
    }

    /** Runs a parsed command line as picocli would, once every argument of it found its place. */
    public static int execute(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (!level.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** Reports a command line that could not be parsed. */
    public static int report(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("cairn: " + problem(e));
        err.flush();
        return ExitCodes.FAILURE;
    }

    /**
     * The line's text. An argument out of place gets where to look for what fits, and one in the place of
     * a command is called what it is, with the commands spelled nearly so.
     */
    static String problem(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched)) {
            return e.getMessage();
        }
        CommandSpec where = e.getCommandLine().getCommandSpec();
        String help = "; see " + where.qualifiedName() + " --help";
        List<String> args = unmatched.getUnmatched();
        boolean inCommandsPlace = !where.subcommands().isEmpty() && where.positionalParameters().isEmpty()
                && !args.isEmpty() && !args.get(0).startsWith("-");
        if (!inCommandsPlace) {
            return e.getMessage() + help;
        }
        String typed = args.get(0);
        List<String> near = where.subcommands().keySet().stream().filter(name -> nearlySpelled(typed, name)).toList();
        // Below the top level the command is named with its parents': "target frob".
        String parents = where.parent() == null ? "" : where.qualifiedName().substring(where.root().name().length() + 1) + " ";
        return "unknown command '" + parents + typed + "'"
                + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)") + help;
    }

    /**
     * Whether {@code typed} is {@code name} with a slip or two: a letter missed, doubled, swapped or
     * wrong. Picocli's own suggestions are any names that share a few letter pairs, which for a word
     * that is no command at all lists commands that look nothing like it.
     */
    static boolean nearlySpelled(String typed, String name) {
        return editDistance(typed, name) <= Math.max(1, Math.min(typed.length(), name.length()) / 3);
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int substitution = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(substitution, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
