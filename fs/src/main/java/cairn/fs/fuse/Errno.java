package cairn.fs.fuse;

/** The errno values the view answers with, from jnr-constants so they are the platform's own. */
public final class Errno {
    public static final int ENOENT = jnr.constants.platform.Errno.ENOENT.intValue();
    public static final int EIO = jnr.constants.platform.Errno.EIO.intValue();
    public static final int EBADF = jnr.constants.platform.Errno.EBADF.intValue();
    public static final int ENOTDIR = jnr.constants.platform.Errno.ENOTDIR.intValue();
    public static final int EISDIR = jnr.constants.platform.Errno.EISDIR.intValue();
    public static final int EINVAL = jnr.constants.platform.Errno.EINVAL.intValue();
    public static final int EROFS = jnr.constants.platform.Errno.EROFS.intValue();
    public static final int ENOTCONN = jnr.constants.platform.Errno.ENOTCONN.intValue();

    private Errno() {
    }
}
