package cairn.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The segment files a repository or a target directory holds, by name. */
final class TargetFiles {
    private TargetFiles() {
    }

    static Set<String> segments(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        Path dir = root.resolve("segments");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg"))
                    .forEach(n -> out.add(n.substring(0, n.length() - 4)));
        }
        return out;
    }

    static Path segmentFile(Path root, String name) {
        return root.resolve("segments").resolve(name.substring(0, 2)).resolve(name + ".seg");
    }
}
