package cairn.store.fsutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden name a new file is written under before it is renamed over {@code target}:
 * {@code .NAME.TAG-<16 hex>} in the target's directory, so the rename stays on one file system and the
 * name says which target and which command it belongs to. A name too long to embed whole is cut and
 * followed by {@code ~} and 8 hex digits of its SHA-256, keeping the temporary name within NAME_MAX
 * (255 bytes) while still telling long names with a common beginning apart.
 *
 * <p>A writer killed before its rename leaves its temporary file behind. {@link #removeStale} removes
 * such leftovers of the same target and tag; that is safe because a target has one writer at a time (the
 * user's contract for sync and restore), and even when two run at once, the one whose file was removed
 * fails at its rename, so no target is ever left wrong.
 */
public final class TemporaryName {
    /** The longest file name Linux file systems accept (ext4, xfs, btrfs, tmpfs). */
    static final int NAME_MAX = 255;
    private static final int RANDOM_DIGITS = 16;
    private static final int HASH_DIGITS = 8;

    private final Path dir;
    /** {@code .NAME.TAG-}: every temporary name of this target and tag starts so, then hex digits end it. */
    private final byte[] prefix;

    private TemporaryName(Path dir, byte[] prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /** The temporary names of {@code target} for the command that calls itself {@code tag} ("cairn-sync"). */
    public static TemporaryName of(Path target, String tag) {
        Path abs = target.toAbsolutePath();
        byte[] suffix = ("." + tag + "-").getBytes(StandardCharsets.US_ASCII);
        byte[] name = embedded(RawPaths.fileName(abs), NAME_MAX - 1 - suffix.length - RANDOM_DIGITS);
        byte[] prefix = new byte[1 + name.length + suffix.length];
        prefix[0] = '.';
        System.arraycopy(name, 0, prefix, 1, name.length);
        System.arraycopy(suffix, 0, prefix, 1 + name.length, suffix.length);
        return new TemporaryName(abs.getParent(), prefix);
    }

    /** A new name, not yet used: create it with CREATE_NEW. */
    public Path fresh() {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        byte[] name = Arrays.copyOf(prefix, prefix.length + RANDOM_DIGITS);
        System.arraycopy(random.getBytes(StandardCharsets.US_ASCII), 0, name, prefix.length, RANDOM_DIGITS);
        return RawPaths.resolve(dir, name);
    }

    /**
     * Removes regular files left under this target's temporary names by a writer that was killed. Best
     * effort: a directory that cannot be listed, or a leftover that cannot be removed, only stays.
     */
    public void removeStale() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (isOurs(RawPaths.fileName(p)) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Not needed for the write itself: only space stays taken, as it was before.
        }
    }

    /**
     * The prefix followed by hex digits only (1 to 16: earlier versions wrote the random part without
     * leading zeros). No other target's name can match: its temporary name would need this one's
     * {@code .TAG-} followed by hex digits alone, and a longer name holds a {@code .} there.
     */
    boolean isOurs(byte[] name) {
        int rest = name.length - prefix.length;
        if (rest < 1 || rest > RANDOM_DIGITS || !Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length)) {
            return false;
        }
        for (int i = prefix.length; i < name.length; i++) {
            if (Character.digit(name[i], 16) < 0 || Character.isUpperCase(name[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code name} itself when at most {@code max} bytes, else cut (not inside a UTF-8 character) plus {@code ~hash}. */
    static byte[] embedded(byte[] name, int max) {
        if (name.length <= max) {
            return name;
        }
        int keep = max - 1 - HASH_DIGITS;
        while (keep > 0 && (name[keep] & 0xC0) == 0x80) {
            keep--; // name[keep] continues a character begun before it: cut before that character
        }
        byte[] hash = HexFormat.of().formatHex(sha256(name), 0, HASH_DIGITS / 2).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, keep + 1 + HASH_DIGITS);
        out[keep] = '~';
        System.arraycopy(hash, 0, out, keep + 1, HASH_DIGITS);
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
