package cairn.fs.fuse;

/**
 * What getattr reports for one node: {@code mode} is the full st_mode, type bits included; {@code
 * allocated} the bytes a copy takes on disk (st_blocks), less than {@code size} for a sparse file.
 */
public record Attr(long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long allocated,
                   long mtimeNs, long ctimeNs) {
}
