package cairn.store.catalog;

/**
 * A snapshot row. {@code name} is the short id users type. Tree snapshots have {@code rootDir} and the
 * source directory's own metadata ({@code root*}); image snapshots have {@code content},
 * {@code blockSize} and {@code imageSha256}.
 */
public record Snapshot(long id, String name, Kind kind, Status status, String label, byte[] source, String host,
                       long startedNs, long finishedNs, long parent, long rootDir, int rootMode, int rootUid,
                       int rootGid, long rootMtimeNs, long content, int blockSize, byte[] imageSha256, long files,
                       long dirs, long bytes, long newBytes, long storedBytes, long errors) {

    public enum Kind {
        TREE, IMAGE;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Status {
        COMPLETE, PARTIAL;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
