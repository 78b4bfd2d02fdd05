package cairn.store.segment;

import java.io.IOException;

/**
 * A segment's bytes do not match its format: wrong magic, a checksum mismatch, a truncated record, an
 * index that disagrees with itself. The message names the segment, the offset and what was expected
 * versus found, because the person reading it is deciding whether a disk is failing.
 */
public class CorruptSegmentException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String segment;

    /** @param detail where and what, e.g. "record at offset 1234: payload checksum ..." */
    public CorruptSegmentException(String segment, String detail) {
        super("segment " + segment + ": " + detail);
        this.segment = segment;
    }

    /** The segment's file name, or "(unnamed)" when only a channel was given. */
    public String segment() {
        return segment;
    }
}
