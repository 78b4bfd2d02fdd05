package cairn.fs.fuse;

/**
 * An expected failure with a definite errno (no such entry, not a directory, read-only). Carries no
 * stack trace: these happen on every negative lookup and are answers, not bugs.
 */
public final class FsException extends Exception {
    private final int errno;

    public FsException(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
