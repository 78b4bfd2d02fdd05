package cairn.store.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file that makes a directory a cairn repository. Text, three lines:
 * <pre>
 *   cairn repository
 *   version 1
 *   id 0123456789abcdef0123456789abcdef
 * </pre>
 */
record RepoMarker(int version, String id) {
    static final String FIRST_LINE = "cairn repository";

    static RepoMarker read(Path file, Path repo) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NotARepositoryException(repo + " is not a cairn repository (no " + file.getFileName()
                    + "); create one with: cairn --repo " + repo + " init");
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.size() < 3 || !lines.get(0).equals(FIRST_LINE) || !lines.get(1).startsWith("version ")
                || !lines.get(2).startsWith("id ")) {
            throw new NotARepositoryException(repo + " is not a cairn repository (" + file.getFileName()
                    + " is not a repository marker)");
        }
        int version;
        try {
            version = Integer.parseInt(lines.get(1).substring(8).trim());
        } catch (NumberFormatException e) {
            throw new NotARepositoryException(file + ": bad version line '" + lines.get(1) + "'");
        }
        return new RepoMarker(version, lines.get(2).substring(3).trim());
    }

    String text() {
        return FIRST_LINE + "\nversion " + version + "\nid " + id + "\n";
    }

    /** The path given is not a repository. */
    static final class NotARepositoryException extends IOException {
        NotARepositoryException(String message) {
            super(message);
        }
    }
}
