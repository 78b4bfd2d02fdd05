package cairn.store.catalog;

import java.util.Arrays;

/**
 * One name in a directory listing, with what a restore needs to bring it back. {@code mode} holds the
 * permission bits only (07777). {@code content} is a contents row id for files, {@code subdir} a dirs
 * row id for directories, {@code target} the raw link target for symlinks; unused ones are 0 / null.
 * {@code ino} and {@code dev} are the source's, kept to find hard links and unchanged files.
 */
public record Entry(byte[] name, EntryType type, int mode, int uid, int gid, long size, long mtimeNs,
                    long ctimeNs, long ino, long dev, int nlink, long rdev, long content, long subdir,
                    byte[] target) {

    public Entry withContent(long contentId, long newSize) {
        return new Entry(name, type, mode, uid, gid, newSize, mtimeNs, ctimeNs, ino, dev, nlink, rdev, contentId,
                subdir, target);
    }

    public Entry withSubdir(long dirId) {
        return new Entry(name, type, mode, uid, gid, size, mtimeNs, ctimeNs, ino, dev, nlink, rdev, content, dirId,
                target);
    }

    /** Full st_mode: type bits and permissions. */
    public int stMode() {
        return type.modeBits() | mode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Arrays.equals(name, e.name) && type == e.type && mode == e.mode
                && uid == e.uid && gid == e.gid && size == e.size && mtimeNs == e.mtimeNs && ctimeNs == e.ctimeNs
                && ino == e.ino && dev == e.dev && nlink == e.nlink && rdev == e.rdev && content == e.content
                && subdir == e.subdir && Arrays.equals(target, e.target);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 31 + Long.hashCode(ino);
    }
}
