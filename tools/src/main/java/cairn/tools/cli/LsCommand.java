package cairn.tools.cli;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.Names;
import cairn.store.image.ImageName;
import cairn.store.repo.Repository;
import cairn.store.snapshot.SnapshotTree;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = "List a directory of a snapshot (its root by default), like ls -l.")
public final class LsCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "snapshot id (or a unique prefix) or 'latest'")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "path inside the snapshot")
    String path = "";

    @Option(names = "--json", description = "print a JSON array of entries")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = openRepo()) {
            Catalog c = repo.catalog();
            Snapshot s = SnapshotResolver.resolve(c, snapshot);
            if (s.kind() == Snapshot.Kind.IMAGE) {
                return listImage(c, s);
            }
            Entry e = SnapshotTree.resolve(c, s, EscapedText.encode(path));
            List<Entry> entries = e.type() == EntryType.DIR ? c.dirs().list(e.subdir()) : List.of(e);
            String base = path.isEmpty() || path.equals("/") ? "/" : (path.startsWith("/") ? path : "/" + path);
            if (json) {
                List<Object> rows = new ArrayList<>();
                for (Entry x : entries) {
                    String p = e.type() == EntryType.DIR ? join(base, Names.text(x.name())) : base;
                    rows.add(EntryFormat.json(x, p));
                }
                out().println(Json.write(rows));
            } else {
                for (Entry x : entries) {
                    out().println(EntryFormat.longLine(x, Names.display(x.name())));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** An image snapshot holds one file, the image, as in the mount. */
    private int listImage(Catalog c, Snapshot s) throws java.io.IOException {
        byte[] name = ImageName.of(s);
        boolean root = path.isEmpty() || path.equals("/");
        if (!root && !path.replaceFirst("^/", "").equals(Names.text(name))) {
            throw new java.io.IOException("no such path in image snapshot " + s.name() + ": " + path);
        }
        long size = c.contents().get(s.content()).size();
        Entry e = new Entry(name, EntryType.FILE, 0444, s.rootUid(), s.rootGid(), size, s.finishedNs(), s.finishedNs(),
                0, 0, 1, 0, s.content(), 0, null);
        if (json) {
            out().println(Json.write(List.of(EntryFormat.json(e, "/" + Names.text(name)))));
        } else {
            out().println(EntryFormat.longLine(e, Names.display(name)));
        }
        return ExitCodes.OK;
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
