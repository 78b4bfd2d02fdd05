package cairn.tools.cli;

import cairn.store.catalog.Snapshot;
import cairn.store.fsutil.Names;
import cairn.store.image.ImageName;
import cairn.store.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", description = "List the snapshots, oldest first.")
public final class SnapshotsCommand extends RepoCommand {
    @Option(names = "--json", description = "print a JSON array")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = openRepo()) {
            List<Snapshot> all = repo.catalog().snapshots().all();
            if (json) {
                List<Object> rows = new ArrayList<>();
                for (Snapshot s : all) {
                    rows.add(toJson(s));
                }
                out().println(Json.write(rows));
                return ExitCodes.OK;
            }
            out().printf("%-8s  %-19s  %-5s  %-8s  %10s  %9s  %-12s  %s%n", "ID", "TIME", "KIND", "STATUS", "SIZE",
                    "FILES", "LABEL", "SOURCE");
            for (Snapshot s : all) {
                out().printf("%-8s  %-19s  %-5s  %-8s  %10s  %9d  %-12s  %s%n", s.name(), Sizes.time(s.finishedNs()),
                        s.kind().text(), s.status().text(), Sizes.bytes(s.bytes()), s.files(),
                        s.label() == null ? "" : s.label(), Names.display(s.source()) + imageDetails(s));
            }
            return ExitCodes.OK;
        }
    }

    /** Image snapshots also show their block size and the whole image's SHA-256. */
    private static String imageDetails(Snapshot s) {
        if (s.kind() != Snapshot.Kind.IMAGE) {
            return "";
        }
        return "  block=" + s.blockSize() + " sha256="
                + (s.imageSha256() == null ? "-" : java.util.HexFormat.of().formatHex(s.imageSha256()));
    }

    static Map<String, Object> toJson(Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.name());
        m.put("label", s.label());
        m.put("kind", s.kind().text());
        m.put("status", s.status().text());
        m.put("time", Sizes.isoTime(s.finishedNs()));
        m.put("started", Sizes.isoTime(s.startedNs()));
        m.put("source", Names.text(s.source()));
        m.put("host", s.host());
        m.put("files", s.files());
        m.put("dirs", s.dirs());
        m.put("bytes", s.bytes());
        m.put("new_bytes", s.newBytes());
        m.put("stored_bytes", s.storedBytes());
        m.put("errors", s.errors());
        if (s.kind() == Snapshot.Kind.IMAGE) {
            m.put("image", Names.text(ImageName.of(s)));
            m.put("block_size", s.blockSize());
            m.put("image_sha256", s.imageSha256() == null ? null : java.util.HexFormat.of().formatHex(s.imageSha256()));
        }
        return m;
    }
}
