package cairn.tools.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Which repository: {@code --repo}, else {@code $CAIRN_REPO}, else {@code $XDG_DATA_HOME/cairn}, else
 * {@code $HOME/.local/share/cairn}. The environment is read, not {@code user.home}, which comes from
 * the password file and ignores a {@code HOME} set by cron or a wrapper.
 */
public final class RepoOptions {
    @Option(names = "--repo", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "repository directory (default: $CAIRN_REPO, else $XDG_DATA_HOME/cairn, else ~/.local/share/cairn)")
    Path repo;

    /** The repository directory and whether the user named it (a named one is never created implicitly). */
    public record Choice(Path dir, boolean named) {
    }

    public Choice choose() {
        if (repo != null) {
            return new Choice(repo.toAbsolutePath(), true);
        }
        String env = RawEnv.get("CAIRN_REPO");
        if (env != null && !env.isEmpty()) {
            return new Choice(RawArgs.path(env).toAbsolutePath(), true);
        }
        return new Choice(UserDirs.data(), false);
    }
}
