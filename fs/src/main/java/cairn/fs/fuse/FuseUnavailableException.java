package cairn.fs.fuse;

/** FUSE cannot work on this machine (no libfuse, no /dev/fuse); the message says what to install or load. */
public final class FuseUnavailableException extends RuntimeException {
    public FuseUnavailableException(String message) {
        super(message);
    }
}
