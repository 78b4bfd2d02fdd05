package cairn.ingest;

import cairn.store.catalog.EntryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What lstat(2) says about a path, with nanosecond times. */
record FileStat(EntryType type, int mode, int uid, int gid, long size, long mtimeNs, long ctimeNs, long ino,
                long dev, int nlink, long rdev) {

    private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino,dev,nlink,rdev";

    static FileStat of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        int stMode = (Integer) a.get("mode");
        return new FileStat(typeOf(stMode), stMode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
                (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("nlink"), (Long) a.get("rdev"));
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    private static EntryType typeOf(int stMode) {
        return switch (stMode & 0170000) {
            case 0100000 -> EntryType.FILE;
            case 0040000 -> EntryType.DIR;
            case 0120000 -> EntryType.SYMLINK;
            case 0010000 -> EntryType.FIFO;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            case 0140000 -> EntryType.SOCKET;
            default -> throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(stMode));
        };
    }
}
