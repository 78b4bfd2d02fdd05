package cairn.tools.cli;

import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.catalog.SnapshotTable.ReadError;
import cairn.store.fsutil.Names;
import cairn.store.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a partial snapshot is missing: each source path that could not be read, and why. */
@Command(name = "errors", description = "List the paths a snapshot could not read, with the reason.")
public final class ErrorsCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "snapshot id (or a unique prefix) or 'latest'")
    String snapshot;

    @Option(names = "--json", description = "print a JSON array of {path, reason}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = openRepo()) {
            Snapshot s = SnapshotResolver.resolve(repo.catalog(), snapshot);
            List<ReadError> errors = repo.catalog().snapshots().errors(s.id());
            if (json) {
                List<Object> rows = new ArrayList<>();
                for (ReadError e : errors) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("path", Names.text(e.path()));
                    m.put("reason", e.reason());
                    rows.add(m);
                }
                out().println(Json.write(rows));
            } else {
                for (ReadError e : errors) {
                    out().println(Names.display(e.path()) + ": " + e.reason());
                }
            }
            return ExitCodes.OK;
        }
    }
}
