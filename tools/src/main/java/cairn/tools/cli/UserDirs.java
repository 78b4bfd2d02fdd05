package cairn.tools.cli;

import java.nio.file.Path;

/**
 * cairn's directories in the user's home, found as other Unix tools find theirs: under the XDG base
 * directory when its variable holds an absolute path, else under {@code $HOME}. The environment is
 * read, not {@code user.home}, which comes from the password file and ignores a {@code HOME} set by
 * cron or a wrapper; {@code user.home} is only the last resort.
 */
public final class UserDirs {
    private UserDirs() {
    }

    /** {@code $XDG_DATA_HOME/cairn}, else {@code ~/.local/share/cairn}. */
    public static Path data() {
        return under("XDG_DATA_HOME", ".local", "share");
    }

    /** {@code $XDG_STATE_HOME/cairn}, else {@code ~/.local/state/cairn}. */
    public static Path state() {
        return under("XDG_STATE_HOME", ".local", "state");
    }

    /** {@code $XDG_CACHE_HOME/cairn}, else {@code ~/.cache/cairn}. */
    public static Path cache() {
        return under("XDG_CACHE_HOME", ".cache");
    }

    private static Path under(String variable, String... inHome) {
        String xdg = RawEnv.get(variable);
        if (xdg != null && xdg.startsWith("/")) {
            return RawArgs.path(xdg).resolve("cairn");
        }
        String home = RawEnv.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return RawArgs.path(home).resolve(String.join("/", inHome)).resolve("cairn");
    }
}
