package cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cairn.store.catalog.TargetTable;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads from targets while an SSH host is frozen (every sshd process stopped: its connections stay open
 * and nothing answers on them), with another copy of every segment elsewhere.
 */
class FrozenHostIT {
    @TempDir
    Path tmp;
    Sshd sshd;
    Path repo;
    Path src;

    @BeforeEach
    void repository() throws Exception {
        sshd = Sshd.start(tmp);
        repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        src = tmp.resolve("src");
        // Two segments' worth: enough 4 MiB blocks that a wait per block would show.
        Trees.writeRandom(src.resolve("big.bin"), 11, 90_000_000);
        Trees.writeRandom(src.resolve("other.bin"), 12, 9_000_000);
        Files.writeString(src.resolve("small.txt"), "kept twice\n");
    }

    @AfterEach
    void stop() throws Exception {
        sshd.close(); // resumes a frozen server first
    }

    private void addSftpTarget(Sshd server, String name, Path dir) {
        List<String> args = new ArrayList<>(List.of("target", "add", name, server.uri(dir)));
        args.addAll(server.sshOptions());
        Cli.Result r = Cli.run(repo, args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
    }

    /** Blocks in the repository's read cache, per target id: which targets the reads went to. */
    private Map<Long, Integer> cachedBlocksByTarget() throws Exception {
        Map<Long, Integer> out = new HashMap<>();
        Path cache = repo.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return out;
        }
        Pattern name = Pattern.compile("[0-9a-f]+-t(\\d+)-b\\d+\\.blk");
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.toList()) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    private long targetId(String name) throws Exception {
        try (Repository r = Repository.open(repo)) {
            TargetTable.Row row = r.catalog().targets().byName(name);
            return row.id();
        }
    }

    /** Runs a restore of the latest snapshot to {@code out} in this JVM; fails after 120 s. */
    private Cli.Result restore(Path out) throws Exception {
        return CompletableFuture.supplyAsync(() -> Cli.run(repo, "restore", "latest", out.toString()))
                .get(120, TimeUnit.SECONDS);
    }

    @Test
    void aLocalTargetIsReadBeforeAnSshTargetAddedEarlier() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path local = Files.createDirectories(tmp.resolve("local"));
        addSftpTarget(sshd, "rem", remote);
        Cli.expect(0, repo, "target", "add", "loc", local.toString());
        Cli.backup(repo, src);
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(remote));
        assertEquals(TargetFiles.segments(repo), TargetFiles.segments(local));
        Cli.expect(0, repo, "evict");
        assertTrue(TargetFiles.segments(repo).isEmpty());

        // The SSH host stops answering before the restore starts, as in QA's report: a reader that went to
        // it first would wait for it to be given up on, block after block.
        sshd.freezeAll();
        long t0 = System.nanoTime();
        Cli.Result r = restore(tmp.resolve("out"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.toString());
        assertEquals(Trees.fingerprint(src), Trees.fingerprint(tmp.resolve("out")));
        Map<Long, Integer> blocks = cachedBlocksByTarget();
        assertEquals(null, blocks.get(targetId("rem")), "nothing was read from the SSH target: " + blocks);
        assertTrue(blocks.getOrDefault(targetId("loc"), 0) >= 20, "every block came from the local target: " + blocks);
        assertTrue(seconds < 20, "the restore took " + seconds + " s");
    }
}
