package cairn.store.catalog;

import cairn.store.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;

/**
 * The content address of a directory listing: SHA-256 over every entry, in name order, in a fixed
 * binary form (name length and bytes, type, mode, uid, gid, size, mtime, ctime, ino, dev, nlink, rdev,
 * content id, subdir id, target length and bytes). Content and subdirectory ids are the catalog's own
 * row ids, which are unique per chunk list and listing hash, so equal ids mean equal data.
 */
public final class ListingHash {
    private ListingHash() {
    }

    /** Entries must already be sorted by name bytes. */
    public static byte[] of(List<Entry> entries) {
        MessageDigest md = ChunkId.newDigest();
        ByteBuffer b = ByteBuffer.allocate(128);
        for (Entry e : entries) {
            b.clear();
            b.putInt(e.name().length);
            md.update(b.array(), 0, b.position());
            md.update(e.name());
            b.clear();
            b.put((byte) e.type().id()).putInt(e.mode()).putInt(e.uid()).putInt(e.gid()).putLong(e.size())
                    .putLong(e.mtimeNs()).putLong(e.ctimeNs()).putLong(e.ino()).putLong(e.dev()).putInt(e.nlink())
                    .putLong(e.rdev()).putLong(e.content()).putLong(e.subdir());
            byte[] t = e.target() == null ? new byte[0] : e.target();
            b.putInt(t.length);
            md.update(b.array(), 0, b.position());
            md.update(t);
        }
        return md.digest();
    }
}
