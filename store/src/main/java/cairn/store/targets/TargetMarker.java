package cairn.store.targets;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The marker in a target's root: the repository's own marker text plus the target's name, so a
 * target says which repository its segments belong to and which of that repository's targets it is
 * (what {@code recover} needs to know when the target is found under another URI):
 * <pre>
 *   cairn repository
 *   version 1
 *   id 0123456789abcdef0123456789abcdef
 *   target usb
 * </pre>
 * A reader of repository markers reads the first three lines and ignores the fourth.
 */
public record TargetMarker(int version, String repositoryId, String targetName) {
    public byte[] bytes() {
        return ("cairn repository\nversion " + version + "\nid " + repositoryId + "\ntarget " + targetName + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a marker; null when the bytes are not one. */
    public static TargetMarker parse(byte[] bytes) {
        List<String> l = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        if (l.size() < 4 || !l.get(0).equals("cairn repository") || !l.get(1).startsWith("version ")
                || !l.get(2).startsWith("id ") || !l.get(3).startsWith("target ")) {
            return null;
        }
        try {
            return new TargetMarker(Integer.parseInt(l.get(1).substring(8).trim()), l.get(2).substring(3).trim(),
                    l.get(3).substring(7).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
