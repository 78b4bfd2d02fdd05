package cairn.tools;

import static cairn.tools.Images.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a terminal an image restore clears its progress line before printing the summary, so the summary
 * starts a line of its own. Run under script(1), which gives cairn a terminal and records what it wrote.
 */
class ImageRestoreProgressTest {
    private static final String CLEAR_LINE = "\r\033[K";

    @TempDir
    Path tmp;

    @Test
    void theSummaryFollowsTheClearedProgressLine() throws Exception {
        Require.that(Require.hasCommand("script"), "script (util-linux) is not installed");
        Path repo = tmp.resolve("repo");
        Cli.expect(0, repo, "init");
        Path img = Trees.writeRandom(tmp.resolve("p.img"), 9, 4L * MIB);
        String id = Cli.backupImage(repo, img);

        String cairn = Proc.cairnCommand(List.of(), null, "--repo", repo.toString(), "restore", id,
                tmp.resolve("out.img").toString()).stream().map(ImageRestoreProgressTest::quote)
                .collect(Collectors.joining(" "));
        Proc.Output o = Proc.run(tmp, List.of("sh", "-c", "unset CAIRN_NO_PROGRESS; exec script -qec "
                + quote(cairn) + " /dev/null"));
        assertEquals(0, o.code(), o.toString());
        int summary = o.out().indexOf("restored image");
        assertTrue(summary >= 0, o.out());
        // The progress display ends by clearing its line; that must come before the summary, not after it.
        assertTrue(o.out().substring(0, summary).endsWith(CLEAR_LINE), "summary not on a cleared line: "
                + o.out().replace("\r", "\\r").replace("\033", "\\e"));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
