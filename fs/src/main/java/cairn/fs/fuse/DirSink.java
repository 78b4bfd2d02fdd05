package cairn.fs.fuse;

/** Where readdir puts entries; {@code add} returns false when the kernel's buffer is full. */
public interface DirSink {
    /**
     * @param name raw name bytes
     * @param ino  the entry's inode number
     * @param mode st_mode (only the type bits matter here)
     * @param next the offset readdir is called with to continue after this entry
     */
    boolean add(byte[] name, long ino, int mode, long next);
}
