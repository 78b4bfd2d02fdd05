package cairn.store.codec;

/**
 * How a chunk's bytes are stored. The numeric ids are written into segments and the catalog and are
 * permanent: never renumber or reuse one.
 */
public enum Codec {
    /** Stored as is: zstd did not make it smaller. */
    RAW(0),
    /** One zstd frame holding the whole chunk. */
    ZSTD(1);

    private final int id;

    Codec(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static Codec fromId(int id) {
        for (Codec c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown codec id " + id);
    }
}
