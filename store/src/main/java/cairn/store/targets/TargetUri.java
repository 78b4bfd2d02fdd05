package cairn.store.targets;

import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.RawPaths;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a target is, as the user writes it:
 * <pre>
 *   /mnt/usb/cairn                 a local directory (absolute, or relative to the current directory)
 *   file:///mnt/usb/cairn          the same as a file URI, bytes that are not UTF-8 written %XX
 *   sftp://user@host:port/path     SFTP; port defaults to 22, path is absolute
 *   user@host:path                 the scp form; a relative path is relative to the user's home
 * </pre>
 * {@link #toString()} gives the canonical form stored in the catalog (local paths made absolute,
 * SFTP always as an {@code sftp://} URI, or the scp form when the path is relative). A local path
 * is kept as bytes ({@link EscapedText} in {@link #path}); one that is not UTF-8 cannot be stored as
 * plain text, so its canonical form is the {@code file://} URI.
 */
public record TargetUri(Kind kind, String user, String host, int port, String path) {
    public enum Kind {
        LOCAL, SFTP;

        public String text() {
            return name().toLowerCase();
        }
    }

    // User and host may match empty, so that "@host" or "user@:path" is refused rather than read as a
    // host named "@host" or "user@".
    private static final Pattern SFTP = Pattern.compile("sftp://(?:([^@/]*)@)?(\\[[^]]*]|[^:/@]*)(?::(\\d+))?(/.*)?");
    private static final Pattern SCP = Pattern.compile("(?:([^@/:]*)@)?(\\[[^]]*]|[^:/@]*):(.*)");
    private static final String SFTP_FORM = "expected sftp://user@host:port/path";
    private static final String SCP_FORM = "expected user@host:path";

    public static TargetUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty target URI");
        }
        Matcher m = SFTP.matcher(text);
        if (text.startsWith("sftp://")) {
            if (!m.matches()) {
                throw new IllegalArgumentException("bad SFTP URI '" + text + "': " + SFTP_FORM);
            }
            requireUserAndHost(m.group(1), m.group(2), "bad SFTP URI '" + text + "'", SFTP_FORM);
            String path = m.group(4) == null || m.group(4).isEmpty() ? "/" : m.group(4);
            if (path.startsWith("/~/")) {
                path = path.substring(3); // relative to the user's home, as toString() writes it
            }
            return new TargetUri(Kind.SFTP, user(m.group(1)), unbracket(m.group(2)), port(m.group(3), text), path);
        }
        if (text.startsWith("file://")) {
            return local(fileUriPath(text));
        }
        if (!text.startsWith("/") && text.contains("://")) {
            throw new IllegalArgumentException("unsupported target URI '" + text + "': use a directory, sftp://user@host:port/path"
                    + " or user@host:path");
        }
        Matcher s = SCP.matcher(text);
        // ":name" with neither user nor host is a local file name, as scp takes it.
        if (!text.startsWith("/") && !text.startsWith(".") && s.matches() && (s.group(1) != null || !s.group(2).isEmpty())) {
            requireUserAndHost(s.group(1), s.group(2), "bad target '" + text + "'", SCP_FORM);
            String path = s.group(3).isEmpty() ? "." : s.group(3);
            return new TargetUri(Kind.SFTP, user(s.group(1)), unbracket(s.group(2)), 22, path);
        }
        return local(EscapedText.encode(text));
    }

    /** {@code user} may be absent (null: the local user name) but not empty; {@code host} must be there. */
    private static void requireUserAndHost(String user, String host, String what, String form) {
        if (user != null && user.isEmpty()) {
            throw new IllegalArgumentException(what + ": no user name before '@'; " + form);
        }
        if (host.isEmpty() || host.equals("[]")) {
            throw new IllegalArgumentException(what + ": no host name; " + form);
        }
    }

    private static TargetUri local(byte[] path) {
        Path absolute = RawPaths.parse(path).toAbsolutePath().normalize();
        return new TargetUri(Kind.LOCAL, null, null, 0, EscapedText.decode(RawPaths.bytes(absolute)));
    }

    /** The bytes of the path in {@code file:///path} or {@code file://localhost/path}, %XX decoded. */
    private static byte[] fileUriPath(String text) {
        String rest = text.substring("file://".length());
        if (rest.startsWith("localhost/")) {
            rest = rest.substring("localhost".length());
        }
        if (!rest.startsWith("/")) {
            throw new IllegalArgumentException("bad file URI '" + text + "': expected file:///path (a directory on this machine)");
        }
        byte[] utf8 = EscapedText.encode(rest);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] != '%') {
                out.write(utf8[i]);
                continue;
            }
            int hi = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(utf8[i + 2], 16) : -1;
            if (lo < 0) {
                throw new IllegalArgumentException("bad file URI '" + text + "': % must be followed by two hex digits");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toByteArray();
    }

    /** {@code file://} and the path's bytes, each one that is not printable ASCII (and '%') as %XX. */
    private static String fileUri(byte[] path) {
        StringBuilder sb = new StringBuilder("file://");
        for (byte b : path) {
            int c = b & 0xFF;
            if (c > ' ' && c < 0x7F && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    private static String user(String given) {
        if (given != null) {
            return given;
        }
        String u = System.getenv("USER");
        return u != null && !u.isEmpty() ? u : System.getProperty("user.name");
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String p, String text) {
        if (p == null) {
            return 22;
        }
        int port = Integer.parseInt(p);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port + " in '" + text + "'");
        }
        return port;
    }

    public Path localPath() {
        if (kind != Kind.LOCAL) {
            throw new IllegalStateException(this + " is not a local directory");
        }
        return RawPaths.path(EscapedText.encode(path));
    }

    /** host, or host:port when the port is not 22 (as known_hosts and error messages spell it). */
    public String hostAndPort() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == 22 ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        if (kind == Kind.LOCAL) {
            return EscapedText.escaped(path) ? fileUri(EscapedText.encode(path)) : path;
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (!path.startsWith("/")) {
            return port == 22 ? user + "@" + h + ":" + path : "sftp://" + user + "@" + h + ":" + port + "/~/" + path;
        }
        return "sftp://" + user + "@" + h + (port == 22 ? "" : ":" + port) + path;
    }
}
