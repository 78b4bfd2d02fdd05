package cairn.store.segment;

import java.io.IOException;

/**
 * A well-formed segment written in a format version this cairn cannot read. Deliberately not a
 * {@link CorruptSegmentException}: recovery deletes corrupt orphans but must leave a newer cairn's
 * segments alone.
 */
public class SegmentVersionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int version;

    public SegmentVersionException(String segment, int version) {
        super("segment " + segment + ": segment format version " + version
                + (version > SegmentFormat.MAX_VERSION
                        ? " is newer than this cairn supports (max " + SegmentFormat.MAX_VERSION + ")"
                        : " is older than this cairn supports (min " + SegmentFormat.MIN_VERSION + ")"));
        this.version = version;
    }

    public int version() {
        return version;
    }
}
