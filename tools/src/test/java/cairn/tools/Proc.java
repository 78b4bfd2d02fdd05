package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes: shell commands that build test trees, and whole {@code cairn} JVMs. */
final class Proc {
    private Proc() {
    }

    record Output(int code, String out, String err) {
    }

    /**
     * Runs {@code sh -c script} in {@code dir} and insists on success. Output is decoded as ISO-8859-1 so
     * that every byte of a file name survives as one char.
     */
    static String sh(Path dir, String script) {
        Output o = run(dir, List.of("sh", "-c", script));
        assertEquals(0, o.code(), "sh -c " + script + " failed: " + o.err());
        return o.out();
    }

    static Output run(Path dir, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("QUOTING_STYLE", "literal");
            Path out = Files.createTempFile("cairn-test-out", ".txt");
            Path err = Files.createTempFile("cairn-test-err", ".txt");
            try {
                pb.redirectOutput(out.toFile()).redirectError(err.toFile());
                Process p = pb.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + cmd);
                }
                return new Output(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line of a separate {@code cairn} JVM on the test class path: {@code prefix} (e.g. setpriv)
     * goes first, {@code classPath} null means this JVM's own.
     */
    static List<String> cairnCommand(List<String> prefix, String classPath, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java(), "-Xmx256m", "-XX:-UsePerfData",
                "-cp", classPath == null ? System.getProperty("java.class.path") : classPath,
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "cairn.tools.Main"));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Starts a separate {@code cairn} JVM with stdout and stderr going to files in {@code logDir}. */
    static Process startCairn(Path logDir, List<String> prefix, String classPath, String... args) throws IOException {
        return startCairn(logDir, prefix, classPath, java.util.Map.of(), args);
    }

    /** As above, with environment changes: a null value removes the variable. */
    static Process startCairn(Path logDir, List<String> prefix, String classPath, java.util.Map<String, String> env,
                              String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cairnCommand(prefix, classPath, args));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        pb.redirectOutput(logDir.resolve("stdout").toFile()).redirectError(logDir.resolve("stderr").toFile());
        return pb.start();
    }

    static Output waitFor(Process p, Path logDir, long seconds) throws IOException, InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cairn process did not finish within " + seconds + " s");
        }
        return new Output(p.exitValue(), Files.readString(logDir.resolve("stdout")),
                Files.readString(logDir.resolve("stderr")));
    }
}
