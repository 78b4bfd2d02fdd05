package cairn.store.image.sync;

/** Blocks {@code firstBlock..lastBlock} (inclusive): the bytes {@code [offset, offset + length)}. */
public record BlockRange(long firstBlock, long lastBlock, long offset, long length) {
    public long blocks() {
        return lastBlock - firstBlock + 1;
    }
}
