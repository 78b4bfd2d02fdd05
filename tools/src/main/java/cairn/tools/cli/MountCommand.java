package cairn.tools.cli;

import cairn.fs.mount.FuseMount;
import cairn.fs.mount.MountTable;
import cairn.fs.mount.Preflight;
import cairn.fs.view.CairnFs;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.fsutil.EscapedText;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mount", description = {"Show snapshots read-only as a file system (FUSE).",
        "Runs until SIGINT or SIGTERM, then unmounts; with --daemon, returns once the mount is ready",
        "(end it with: cairn umount MOUNTPOINT)."})
public final class MountCommand extends RepoCommand {
    @Parameters(paramLabel = "MOUNTPOINT", description = "an empty directory")
    Path mountPoint;

    @Option(names = "--snapshot", paramLabel = "S", description = "show only this snapshot (id, prefix or 'latest') at the root")
    String snapshot;

    @Option(names = "--cache-size", paramLabel = "SIZE",
            description = "memory for decompressed chunks, e.g. 64M (default: 256 MiB, at most half the heap)")
    String cacheSize;

    @Option(names = "--daemon", description = "run in the background; return once the mount is listable")
    boolean daemon;

    @Option(names = "--log", paramLabel = "FILE",
            description = "with --daemon: where the mount's messages go (default: $XDG_STATE_HOME/cairn/mount.log)")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        if (logFile != null && !daemon) {
            throw new IllegalArgumentException("--log goes with --daemon: in the foreground the mount's messages go to"
                    + " stderr");
        }
        Preflight.fuse();
        Preflight.mountPoint(mountPoint);
        long cache = cacheBytes();
        if (daemon) {
            return new Daemon(err()).start(childCommand(), mountPoint.toAbsolutePath().normalize(), logFile());
        }
        try (Repository repo = Repository.open(repoChoice().dir(), cache)) {
            PrintWriter err = err();
            java.util.function.Consumer<String> log = line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            };
            CairnFs fs = snapshot == null ? CairnFs.allSnapshots(repo, log)
                    : CairnFs.oneSnapshot(repo, resolve(repo), log);
            try (fs) {
                FuseMount mount = FuseMount.start(fs, mountPoint, log);
                // SIGINT/SIGTERM run the JVM's shutdown hooks: unmount there, so no stale mount is left.
                Thread hook = new Thread(mount::close, "cairn-unmount");
                Runtime.getRuntime().addShutdownHook(hook);
                err.println("cairn: mounted at " + mount.mountPoint() + "; stop with Ctrl-C or: cairn umount "
                        + mount.mountPoint());
                err.flush();
                mount.awaitUnmounted();
                mount.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is already running and unmounts; nothing left to do here.
                }
            }
            return ExitCodes.OK;
        }
    }

    private Snapshot resolve(Repository repo) throws IOException {
        return SnapshotResolver.resolve(repo.catalog(), snapshot);
    }

    /**
     * The chunk cache must fit the heap the launcher gives the JVM (256 MiB by default) beside the
     * reads in flight: a larger one ran out of memory on the read-ahead threads.
     */
    private long cacheBytes() {
        long half = Runtime.getRuntime().maxMemory() / 2;
        if (cacheSize == null) {
            return Math.min(Repository.DEFAULT_CACHE_BYTES, half);
        }
        long bytes = SizeArg.parse(cacheSize);
        if (bytes < MIN_CACHE_BYTES) {
            throw new IllegalArgumentException("--cache-size " + cacheSize + " is too small: give at least 16M");
        }
        if (bytes > half) {
            throw new IllegalArgumentException("--cache-size " + cacheSize + " is more than half of the JVM's heap ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): lower it, or raise the heap with CAIRN_HEAP");
        }
        return bytes;
    }

    private static final long MIN_CACHE_BYTES = 16L << 20;

    /** This JVM's own command line, minus --daemon: the same java, options, class path and arguments. */
    private List<String> childCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(cairn.tools.Main.class.getName());
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--log")) {
                i++; // and its value: the child's output is already sent to the log
                continue;
            }
            if (a.startsWith("--log=")) {
                continue;
            }
            if (EscapedText.escaped(a)) {
                // A process's arguments are passed on as strings, which cannot hold such bytes.
                throw new IllegalArgumentException("--daemon cannot pass on an argument that is not valid UTF-8 ("
                        + cairn.store.fsutil.RawPaths.display(EscapedText.encode(a)) + "): run cairn mount in the background with & instead");
            }
            if (!a.equals("--daemon")) {
                cmd.add(a);
            }
        }
        if (cmd.stream().noneMatch(a -> a.startsWith("--repo"))) {
            // Pin the repository chosen here (e.g. from $CAIRN_REPO) for the child.
            cmd.add(cmd.indexOf(cairn.tools.Main.class.getName()) + 1, "--repo=" + repoChoice().dir());
        }
        return cmd;
    }

    private Path logFile() {
        if (logFile != null) {
            return logFile.toAbsolutePath();
        }
        return UserDirs.state().resolve("mount.log");
    }

    /** Starts the detached child and waits until its mount is listable (or it failed). */
    private record Daemon(PrintWriter err) {
        int start(List<String> cmd, Path mp, Path log) throws IOException, InterruptedException {
            if (Files.isDirectory(log)) {
                throw new IllegalArgumentException("--log " + log + " is a directory: name a file in it");
            }
            Files.createDirectories(log.getParent());
            List<String> full = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                full.add("/usr/bin/setsid"); // its own session: the terminal's Ctrl-C and hangup do not reach it
            }
            full.addAll(cmd);
            Process p = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true).start();
            long end = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < end) {
                if (MountTable.isMountPoint(mp.toRealPath())) {
                    try (var s = Files.list(mp)) {
                        s.findAny();
                    }
                    err.println("cairn: mounted at " + mp + " (process " + p.pid() + ", log " + log
                            + "); end it with: cairn umount " + mp);
                    err.flush();
                    return ExitCodes.OK;
                }
                if (!p.isAlive()) {
                    throw new IOException("the mount process ended with status " + p.exitValue() + ": " + lastLine(log));
                }
                Thread.sleep(20);
            }
            p.destroy();
            throw new IOException("the mount did not become ready within 60 s; see " + log);
        }

        private static String lastLine(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return lines.isEmpty() ? "(no message)" : lines.get(lines.size() - 1).replaceFirst("^cairn: ", "");
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
