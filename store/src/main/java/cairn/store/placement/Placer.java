package cairn.store.placement;

import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import cairn.store.targets.TargetUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Puts one immutable file on a target so that it can be trusted there. The protocol:
 * <ol>
 *   <li>If the final name already holds a file of the right size whose SHA-256, computed on the
 *       target, is right, it is the copy (a push that died after the rename left it).</li>
 *   <li>Otherwise upload under a fresh temporary name in {@code tmp/}, fsynced.</li>
 *   <li>Confirm the temporary file's size, then its SHA-256 computed where it lies, and only if it
 *       is right rename it over the final name (atomic) and make the rename durable.</li>
 * </ol>
 * Only then does the caller record the copy. A failure at any step leaves at most a temporary file,
 * which the next push deletes; the final name never holds a file that was not confirmed whole.
 */
final class Placer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Placer() {
    }

    /** Returns true when it uploaded, false when a verified copy was already in place. */
    static boolean place(TargetStore store, Path local, String dst, long size, byte[] sha256) throws IOException {
        if (store.size(dst) == size && Arrays.equals(store.sha256(dst), sha256)) {
            return false;
        }
        String tmp = freshTmp(dst);
        boolean renamed = false;
        try {
            upload(store, local, tmp, dst, size);
            int slash = dst.lastIndexOf('/');
            if (slash > 0) {
                store.mkdirs(dst.substring(0, slash));
            }
            byte[] there = store.renameIfChecksum(tmp, dst, sha256);
            if (!Arrays.equals(there, sha256)) {
                throw mismatch(store, dst, there, sha256);
            }
            renamed = true;
            return true;
        } finally {
            if (!renamed) {
                deleteQuietly(store, tmp);
            }
        }
    }

    /**
     * Places a file under a name that must be free, as a directory's marker must when the directory is
     * taken: by the same protocol, but the last rename replaces nothing. Returns false, leaving nothing
     * behind, when the name is already taken (another process placed its file there first).
     */
    static boolean placeNew(TargetStore store, Path local, String dst, long size, byte[] sha256) throws IOException {
        String tmp = freshTmp(dst);
        boolean renamed = false;
        try {
            upload(store, local, tmp, dst, size);
            byte[] there = store.sha256(tmp);
            if (!Arrays.equals(there, sha256)) {
                throw mismatch(store, dst, there, sha256);
            }
            renamed = store.renameNoReplace(tmp, dst);
            return renamed;
        } finally {
            if (!renamed) {
                deleteQuietly(store, tmp);
            }
        }
    }

    private static String freshTmp(String dst) {
        byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        return TargetLayout.tmpFor(dst, HexFormat.of().formatHex(nonce));
    }

    /** Uploads {@code local} to {@code tmp} and checks the size it has there. */
    private static void upload(TargetStore store, Path local, String tmp, String dst, long size) throws IOException {
        try {
            store.upload(local, tmp);
        } catch (TargetUnavailableException e) {
            throw e;
        } catch (IOException e) {
            // What the failed upload wrote is ours: counted as used, it would make any disk look full.
            deleteQuietly(store, tmp);
            throw explainUploadFailure(store, dst, size, e);
        }
        long got = store.size(tmp);
        if (got != size) {
            throw new CopyMismatchException("copy of " + dst + " on " + store.describe() + " is " + got
                    + " bytes after upload, expected " + size);
        }
    }

    private static CopyMismatchException mismatch(TargetStore store, String dst, byte[] there, byte[] sha256) {
        return new CopyMismatchException("copy of " + dst + " on " + store.describe() + " has SHA-256 "
                + HexFormat.of().formatHex(there) + ", expected " + HexFormat.of().formatHex(sha256)
                + " (damaged in transit, or the local file is: run cairn check --read-data)");
    }

    /**
     * A failed write says little ("Failure"); a full disk is the usual cause, so say so when it is. The
     * free space is asked for once the partial upload is gone; it is the disk's as this upload found it
     * only when no other upload to the same target is in flight, which is why {@link Push} tries again
     * alone what failed while others ran.
     */
    private static UploadFailedException explainUploadFailure(TargetStore store, String dst, long size, IOException e) {
        try {
            long free = store.freeBytes();
            if (free >= 0 && free < size) {
                return new TargetFullException("no space left on " + store.describe() + " for " + dst + " ("
                        + free + " bytes free, " + size + " needed)", e);
            }
        } catch (IOException ignored) {
            // Report the upload's own error below.
        }
        return new UploadFailedException("uploading " + dst + " to " + store.describe() + " failed: " + Messages.of(e), e);
    }

    private static void deleteQuietly(TargetStore store, String path) {
        try {
            store.delete(path);
        } catch (IOException ignored) {
            // Left in tmp/, which the next push empties.
        }
    }

    /**
     * The upload of a file to a target failed, the target itself answering; what it wrote there was
     * removed (or, should that fail too, is left in {@code tmp/} for the next push to empty).
     */
    static class UploadFailedException extends IOException {
        UploadFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The target's file system is full. */
    static final class TargetFullException extends UploadFailedException {
        TargetFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
