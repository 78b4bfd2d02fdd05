package cairn.store.catalog;

/** Kinds of directory entries. The ids are stored in the catalog and are permanent. */
public enum EntryType {
    FILE(1), DIR(2), SYMLINK(3), FIFO(4), CHAR_DEVICE(5), BLOCK_DEVICE(6), SOCKET(7);

    private final int id;

    EntryType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static EntryType fromId(int id) {
        for (EntryType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown entry type " + id);
    }

    /** The file-type bits of st_mode. */
    public int modeBits() {
        return switch (this) {
            case FILE -> 0100000;
            case DIR -> 0040000;
            case SYMLINK -> 0120000;
            case FIFO -> 0010000;
            case CHAR_DEVICE -> 0020000;
            case BLOCK_DEVICE -> 0060000;
            case SOCKET -> 0140000;
        };
    }
}
