package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;

/** Where a chunk is stored: a record in a segment file. */
public record ChunkLocation(ChunkId id, long segment, String segmentName, long offset, int storedLength,
                            int rawLength, Codec codec) {
}
