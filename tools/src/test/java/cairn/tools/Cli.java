package cairn.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the {@code cairn} command in this JVM through {@link Main#run} and captures what it prints. */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return lines(out);
        }

        List<String> errLines() {
            return lines(err);
        }

        String lastOutLine() {
            List<String> l = outLines();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = Main.run(args, o, e);
        }
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code cairn --repo REPO args...} */
    static Result run(Path repo, String... args) {
        List<String> all = new ArrayList<>();
        all.add("--repo");
        all.add(repo.toString());
        all.addAll(Arrays.asList(args));
        return run(all.toArray(new String[0]));
    }

    /** Runs and insists on {@code expected} as the exit status, showing all output when it differs. */
    static Result expect(int expected, Path repo, String... args) {
        Result r = run(repo, args);
        if (r.code() != expected) {
            throw new AssertionError("cairn " + String.join(" ", args) + ": expected exit " + expected + ", got " + r);
        }
        return r;
    }

    /** A backup that must succeed; returns the new snapshot's id (the last line on stdout). */
    static String backup(Path repo, Path source, String... extra) {
        List<String> args = new ArrayList<>();
        args.add("backup");
        args.addAll(Arrays.asList(extra));
        args.add(source.toString());
        Result r = expect(0, repo, args.toArray(new String[0]));
        String id = r.lastOutLine().trim();
        if (!id.matches("[0-9a-f]{8,}")) {
            throw new AssertionError("last line of backup output is not a snapshot id: " + r);
        }
        return id;
    }

    /** {@code backup [extra...] --image IMAGE}, which must succeed; returns the new snapshot's id. */
    static String backupImage(Path repo, Path image, String... extra) {
        String[] options = Arrays.copyOf(extra, extra.length + 1);
        options[extra.length] = "--image";
        return backup(repo, image, options);
    }

    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (String l : s.split("\n", -1)) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The row of snapshot {@code id} in {@code snapshots --json}. */
    static Map<String, Object> snapshot(Path repo, String id) {
        for (Map<String, Object> s : Json.array(expect(0, repo, "snapshots", "--json").out())) {
            if (id.equals(s.get("id"))) {
                return s;
            }
        }
        throw new AssertionError("no snapshot " + id + " in snapshots --json");
    }
}
