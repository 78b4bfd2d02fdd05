package cairn.tools.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A TARGET as written on the command line: its path, and whether it ended in '/'. A Path drops that
 * slash, but it says the user means a directory: {@code cairn sync disk.img backups/} with no directory
 * {@code backups} must not leave a file of that name.
 */
public record TargetPath(Path path, boolean endsInSlash) {
    /** {@code path} as converted from {@code given}, the argument's text. */
    public static TargetPath of(Path path, String given) {
        return new TargetPath(path, given.endsWith("/"));
    }

    /**
     * Refuses a TARGET written ending in '/' that is not a directory (or a symbolic link to one), before
     * anything is written: a directory was meant, so writing the file or device of that name, or
     * creating one, would be a guess at the user's cost. A command that writes into a directory creates
     * none on its own, as {@code cp} does not.
     */
    void refuseUnlessDirectory() throws IOException {
        if (!endsInSlash || Files.isDirectory(path)) {
            return;
        }
        String given = path + "/";
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + given + " (a TARGET ending in '/' names a directory;"
                    + " drop the '/' to write to the file)");
        }
        throw new IOException("no such directory: " + given + " (a TARGET ending in '/' names a directory, and"
                + " none is created; drop the '/' to write a file)");
    }
}
