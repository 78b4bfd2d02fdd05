package cairn.tools.cli;

import cairn.store.repo.Repository;
import cairn.store.repo.RepoStats;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", description = "Show how much the repository holds and how well it deduplicates.")
public final class StatsCommand extends RepoCommand {
    @Option(names = "--json", description = "print a JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = openRepo()) {
            RepoStats s = RepoStats.of(repo);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("snapshots", s.snapshots());
                m.put("segments", s.segments());
                m.put("segment_bytes", s.segmentBytes());
                m.put("chunks", s.chunks());
                m.put("chunk_bytes", s.chunkRawBytes());
                m.put("contents", s.contents());
                m.put("listings", s.listings());
                m.put("entries", s.entries());
                m.put("snapshot_bytes", s.snapshotBytes());
                out().println(Json.write(m));
                return ExitCodes.OK;
            }
            out().printf("snapshots:        %d%n", s.snapshots());
            out().printf("source data:      %s (sum over all snapshots)%n", Sizes.bytes(s.snapshotBytes()));
            out().printf("unique data:      %s in %d chunks%n", Sizes.bytes(s.chunkRawBytes()), s.chunks());
            out().printf("stored:           %s in %d segments%n", Sizes.bytes(s.segmentBytes()), s.segments());
            out().printf("file contents:    %d%n", s.contents());
            out().printf("dir listings:     %d (%d entries)%n", s.listings(), s.entries());
            if (s.segmentBytes() > 0) {
                out().printf("reduction:        %.2fx%n", (double) s.snapshotBytes() / s.segmentBytes());
            }
            return ExitCodes.OK;
        }
    }
}
