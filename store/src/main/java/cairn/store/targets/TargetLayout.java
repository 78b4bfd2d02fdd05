package cairn.store.targets;

/**
 * What a target directory holds (paths relative to its root; see store/FORMAT.md, "Target
 * directories"):
 * <pre>
 *   cairn-repository      copy of the repository's marker: which repository these segments belong to
 *   catalog.db.zst        zstd-compressed consistent copy of the catalog, replaced after each push
 *   catalog.head          which copy of the repository wrote catalog.db.zst (see CatalogHead)
 *   segments/ab/NAME.seg  verified copies of sealed segments, laid out as in the repository
 *   tmp/                  uploads in progress; anything here belongs to an interrupted push
 * </pre>
 */
public final class TargetLayout {
    public static final String MARKER = "cairn-repository";
    public static final String CATALOG_COPY = "catalog.db.zst";
    public static final String CATALOG_HEAD = "catalog.head";
    public static final String SEGMENTS = "segments";
    public static final String TMP = "tmp";

    private TargetLayout() {
    }

    public static String segmentDir(String name) {
        return SEGMENTS + "/" + name.substring(0, 2);
    }

    public static String segment(String name) {
        return segmentDir(name) + "/" + name + ".seg";
    }

    /** A fresh temporary name in tmp/ for an upload of {@code finalName}'s file name. */
    public static String tmpFor(String finalPath, String nonce) {
        String base = finalPath.substring(finalPath.lastIndexOf('/') + 1);
        return TMP + "/" + base + "." + nonce + ".tmp";
    }
}
