package cairn.store.segment;

import java.util.List;

/**
 * What {@link SegmentReader#scan} recovered from a segment file. {@code entries} are the records that
 * are complete and intact, in file order; {@code validLength} is the length of the prefix they make
 * up (header included), so truncating the file there leaves only good records. For a sealed file
 * {@code sealed} is true and {@code validLength} is the whole file.
 */
public record ScanResult(byte[] segmentId16, List<SegmentEntry> entries, long validLength, boolean sealed) {
}
