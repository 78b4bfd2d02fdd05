/**
 * Segment files: the self-describing, append-only containers chunks are stored in. Public entry
 * points: {@link cairn.store.segment.SegmentWriter} (create, append, seal),
 * {@link cairn.store.segment.SegmentReader} (index, record reads, crash-recovery scan) and
 * {@link cairn.store.segment.SegmentFormat} (the byte layout of {@code store/FORMAT.md}).
 */
package cairn.store.segment;
