package cairn.fs.fuse;

/** What getattr reports for one node: {@code mode} is the full st_mode, type bits included. */
public record Attr(long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long mtimeNs,
                   long ctimeNs) {
}
