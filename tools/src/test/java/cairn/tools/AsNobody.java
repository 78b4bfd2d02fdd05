package cairn.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs commands, cairn among them, as the unprivileged user 65534 (nobody) through {@code setpriv}, for
 * tests of what a user who is not root meets: CI runs as root, which reads mode-000 files and writes into
 * read-only directories. cairn runs in a JVM of its own whose class path is a world-readable copy of
 * ours (the build's own, under /root, is not readable by nobody). Needs root and setpriv.
 */
final class AsNobody {
    static final int UID = 65534;

    private final Path home;
    private final String classPath;

    /** Prepares, under {@code tmp} (made searchable by all), a home and temp dir and the class path copy. */
    AsNobody(Path tmp) throws IOException {
        Require.that(Require.isRoot(), "switching to another user needs root");
        Require.that(Require.hasCommand("setpriv"), "setpriv (util-linux) is not installed");
        Proc.sh(tmp, "chmod 0755 .");
        // The JVM needs a home and a temp dir for the native libraries it unpacks.
        home = Files.createDirectories(tmp.resolve("nobody-home"));
        Proc.sh(tmp, "chmod 1777 nobody-home");
        classPath = readableClassPath(Files.createDirectories(tmp.resolve("nobody-cp")));
    }

    /** {@code cmd} run as nobody. */
    List<String> command(String... cmd) {
        List<String> l = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "env", "HOME=" + home, "JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=" + home));
        l.addAll(List.of(cmd));
        return l;
    }

    /** {@code cairn args...} run as nobody to its end (at most two minutes). */
    Proc.Output cairn(Path logDir, String... args) throws IOException, InterruptedException {
        return Proc.waitFor(Proc.startCairn(logDir, command(), classPath, args), logDir, 120);
    }

    /** Copies every class path element under {@code dir}, readable by all, and returns the new class path. */
    private static String readableClassPath(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            if (e.isEmpty()) {
                continue;
            }
            Path from = Path.of(e);
            Path to = dir.resolve(n++ + (Files.isDirectory(from) ? "" : ".jar"));
            if (Files.isDirectory(from)) {
                try (Stream<Path> s = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path q = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(q);
                        } else {
                            Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else if (Files.exists(from)) {
                Files.copy(from, to);
            }
            out.add(to.toString());
        }
        Proc.sh(dir, "chmod -R a+rX .");
        return String.join(":", out);
    }
}
