package cairn.fs.fuse;

/** The buffer a read fills: the kernel's own, so file data is copied into it once. {@code at} counts from its start. */
public interface ReadBuffer {
    void put(int at, byte[] src, int srcOff, int len);

    void zero(int at, int len);
}
