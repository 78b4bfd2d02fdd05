package cairn.tools.cli;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.fsutil.Names;
import cairn.store.repo.Repository;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "find", description = {"Find entries whose name (or, for a pattern with a slash, whose path",
        "from the snapshot root) matches GLOB. Prints the snapshot id and the path, one per line."})
public final class FindCommand extends RepoCommand {
    private static final int PAGE = 4096;

    @Parameters(paramLabel = "GLOB")
    String glob;

    @Option(names = "--snapshot", paramLabel = "S", description = "search only this snapshot")
    String only;

    private PathMatcher matcher;
    private boolean byPath;
    private long found;

    @Override
    public Integer call() throws Exception {
        byPath = glob.contains("/");
        String pattern = byPath && glob.startsWith("/") ? glob.substring(1) : glob;
        matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Repository repo = openRepo()) {
            Catalog c = repo.catalog();
            List<Snapshot> snaps = only == null ? c.snapshots().all() : List.of(SnapshotResolver.resolve(c, only));
            for (Snapshot s : snaps) {
                if (s.kind() == Snapshot.Kind.TREE) {
                    walk(c, s.name(), s.rootDir(), "", "");
                } else {
                    // An image snapshot holds one file, the image, at its root.
                    byte[] name = cairn.store.image.ImageName.of(s);
                    if (matcher.matches(Path.of(Names.text(name)))) {
                        out().println(s.name() + "  /" + Names.display(name));
                        found++;
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * {@code prefix}: the directory's path as patterns match it (control characters as they are);
     * {@code shown}: as it is printed, one line per entry whatever its name holds.
     */
    private void walk(Catalog c, String snap, long dir, String prefix, String shown) throws Exception {
        byte[] after = null;
        while (true) {
            List<Entry> page = c.dirs().listPage(dir, after, PAGE);
            for (Entry e : page) {
                String name = Names.text(e.name());
                String rel = prefix.isEmpty() ? name : prefix + "/" + name;
                String shownName = Names.display(e.name());
                String shownRel = shown.isEmpty() ? shownName : shown + "/" + shownName;
                if (matcher.matches(Path.of(byPath ? rel : name))) {
                    out().println(snap + "  /" + shownRel);
                    found++;
                }
                if (e.type() == EntryType.DIR) {
                    walk(c, snap, e.subdir(), rel, shownRel);
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).name();
        }
    }
}
