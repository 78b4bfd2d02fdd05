package cairn.store.targets;

import cairn.store.segment.SegmentChecksum;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;

/**
 * A target directory on a host reached over SSH: files through SFTP, and two commands through the
 * remote shell when the account has one: {@code sha256sum} (the checksum is computed where the copy
 * lies, without moving the bytes back) and {@code sync} (fsync of a directory after a rename, which
 * SFTP cannot ask for). An SFTP-only account still works: the checksum is then computed here over the
 * bytes read back, and renames are durable when the remote file system makes them so.
 */
public final class SftpStore implements TargetStore {
    private final TargetUri uri;
    private final SshPool pool;
    private volatile Boolean hasShell;

    private SftpStore(TargetUri uri, SshSettings settings, int connections, boolean shared) {
        this.uri = uri;
        // Readers (the shared pools) give up on a host that stays silent, connecting as when reading.
        this.pool = new SshPool(() -> SshConnection.open(uri, settings, shared), connections, shared);
    }

    /**
     * Connects once, so an unreachable host, a refused key or a missing directory is reported now.
     * {@code connections} exclusive connections at most (see {@link SshPool}).
     */
    public static SftpStore open(TargetUri uri, SshSettings settings, int connections) throws IOException {
        return open(uri, settings, connections, false);
    }

    /** A store for readers: concurrent reads share up to two connections. */
    static SftpStore openForReading(TargetUri uri, SshSettings settings) throws IOException {
        return open(uri, settings, 2, true);
    }

    private static SftpStore open(TargetUri uri, SshSettings settings, int connections, boolean shared)
            throws IOException {
        SftpStore s = new SftpStore(uri, settings, connections, shared);
        try {
            s.call("look at " + uri.path(), c -> {
                FileAttributes a = shared ? statWatched(c, uri.path()) : c.sftp().statExistence(uri.path());
                if (a == null || a.getType() != FileMode.Type.DIRECTORY) {
                    throw new TargetUnavailableException("target directory " + uri.path() + " does not exist on "
                            + uri.hostAndPort());
                }
                return null;
            });
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * {@code statExistence} through the connection's {@link Liveness}: a reader opening a store on a host
     * that stops answering right after connecting gives up within its bound, not SFTP's 60 s.
     */
    private static FileAttributes statWatched(SshConnection c, String path) throws IOException {
        SFTPEngine e = c.sftp().getSFTPEngine();
        Response r = c.liveness().await(e.request(e.newRequest(PacketType.STAT)
                .putString(path, e.getSubsystem().getRemoteCharset())), e.getTimeoutMs(), "looking at " + path, () -> { });
        try {
            return r.ensurePacketTypeIs(PacketType.ATTRS).readFileAttributes();
        } catch (SFTPException notThere) {
            if (notThere.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return null;
            }
            throw notThere;
        }
    }

    private interface Op<T> {
        T run(SshConnection c) throws IOException;
    }

    /**
     * Runs {@code op} on a pooled connection. A failure of the connection itself (as opposed to an
     * SFTP error status) closes it, and is retried once on a fresh one when the failed connection had
     * been idle, since a server restart kills idle connections without telling us. An error status is
     * reported with {@code what} was being done ("create /srv/x/segments"), since the server's own text
     * is often a bare "Failure". A request left unanswered past SFTP's timeout closes the connection
     * too, since later requests would queue behind it. An operation that finds the host not answering
     * ({@link Liveness}) marks it as failing ({@link SshPool#fail}): every connection to it is cut, and
     * it is not asked again for a while.
     */
    private <T> T call(String what, Op<T> op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            SshConnection c = pool.take();
            boolean broken = true;
            try {
                // Every operation, not only those that wait through Liveness themselves: sshj's own waits (a
                // stat, a rename, a write waiting for the host's channel window, a command in its shell or
                // the shell's start, where a frozen host would pass for an account without a shell) would
                // hold a frozen host's caller for their 30 s or more.
                T r = c.liveness().watching("trying to " + what, () -> op.run(c));
                broken = false;
                return r;
            } catch (TargetUnavailableException e) {
                pool.fail(e);
                throw e;
            } catch (IOException | IllegalStateException e) {
                TargetUnavailableException gone = c.cutBecause();
                if (gone != null) {
                    // Cut under this thread's feet because the host stopped answering: say so, rather than
                    // retrying on it or reporting the bare error the cut left.
                    pool.fail(gone);
                    throw new TargetUnavailableException(gone.getMessage(), gone);
                }
                if (e instanceof SFTPException s) {
                    if (s.getCause() instanceof java.util.concurrent.TimeoutException) {
                        // Not answered within SFTP's timeout: the request may still be pending there, and the
                        // server answers in order, so the connection is cut rather than reused (cut, since
                        // closing it politely would wait for the host again).
                        c.cut();
                        throw new IOException("cannot " + what + " on " + uri.hostAndPort() + ": no answer within "
                                + Liveness.describe(c.sftp().getSFTPEngine().getTimeoutMs()), e);
                    }
                    // sshj's own checks (mkdirs: "exists but is not a directory") carry no status either,
                    // on a connection that is fine: only one that is gone counts as lost.
                    broken = s.getStatusCode() == Response.StatusCode.UNKNOWN && !c.isConnected();
                    if (broken && attempt == 0) {
                        continue;
                    }
                    if (broken) {
                        throw lost(s);
                    }
                    throw new IOException("cannot " + what + " on " + uri.hostAndPort() + ": " + SftpStatus.describe(s), e);
                }
                if (e instanceof TransportException || e instanceof ConnectionException) {
                    if (attempt == 0) {
                        continue;
                    }
                    throw lost((IOException) e);
                }
                if (e instanceof IllegalStateException) {
                    // sshj's "Not connected": the transport died between taking the connection and using it.
                    if (attempt == 0) {
                        continue;
                    }
                    throw lost(new ConnectionException(e.getMessage(), e));
                }
                throw e;
            } finally {
                pool.give(c, broken);
            }
        }
    }

    private TargetUnavailableException lost(IOException e) {
        return new TargetUnavailableException("connection to " + uri.hostAndPort() + " lost: "
                + SshConnection.message(e), e);
    }

    private String full(String rel) {
        String root = uri.path();
        return root.endsWith("/") ? root + rel : root + "/" + rel;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public String describe() {
        return uri.toString();
    }

    @Override
    public long size(String path) throws IOException {
        return call("look at " + full(path), c -> {
            FileAttributes a = c.sftp().statExistence(full(path));
            return a == null || a.getType() != FileMode.Type.REGULAR ? -1L : a.getSize();
        });
    }

    @Override
    public void upload(Path local, String path) throws IOException {
        call("write " + full(path), c -> {
            try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ);
                 SftpFile f = SftpFile.openForWriting(c, full(path))) {
                f.writeAll(in);
                f.fsync();
            }
            return null;
        });
    }

    /**
     * The shell command that prints the SHA-256 of {@code file} (quoted) as 64 hex digits. openssl uses
     * the CPU's SHA instructions, several times faster than coreutils' sha256sum, the fallback.
     */
    private static String hashCommand(String file) {
        return "{ openssl dgst -sha256 -r " + file + " 2>/dev/null || sha256sum -b " + file + "; } | cut -c1-64";
    }

    private String shellPath(String rel) {
        String p = full(rel);
        return quote(p.startsWith("-") ? "./" + p : p);
    }

    /** 64 hex digits at the start of the command's output, or null. */
    private static byte[] hexDigest(RemoteShell.Result r) {
        String out = r.out().strip();
        if (r.status() == 0 && out.length() >= 64 && out.substring(0, 64).matches("[0-9a-f]{64}")) {
            return HexFormat.of().parseHex(out.substring(0, 64));
        }
        return null;
    }

    /** Runs a command in the host's shell; null when the account has no shell (then SFTP must do). */
    private RemoteShell.Result shell(String command) throws IOException {
        if (Boolean.FALSE.equals(hasShell)) {
            return null;
        }
        try {
            RemoteShell.Result r = call("run a command", c -> c.run(command));
            hasShell = true;
            return r;
        } catch (RemoteShell.NoShellException e) {
            hasShell = false;
            return null;
        }
    }

    /**
     * Hash, compare, rename and fsync the directory in one command on the host, so placing a file
     * costs one round trip after its upload.
     */
    @Override
    public byte[] renameIfChecksum(String tmp, String dst, byte[] sha256) throws IOException {
        String want = HexFormat.of().formatHex(sha256);
        String dir = dst.contains("/") ? dst.substring(0, dst.lastIndexOf('/')) : ".";
        RemoteShell.Result r = shell("h=$(" + hashCommand(shellPath(tmp)) + ") && echo \"$h\" && { [ \"$h\" != " + want
                + " ] || { mv -f -- " + shellPath(tmp) + " " + shellPath(dst) + " && sync -- " + shellPath(dir) + "; }; }");
        if (r == null) {
            return TargetStore.super.renameIfChecksum(tmp, dst, sha256);
        }
        byte[] found = hexDigest(r);
        if (found == null) {
            throw new IOException("placing " + dst + " on " + uri.hostAndPort() + " failed: "
                    + (r.out().isBlank() ? "exit status " + r.status() : r.out().strip().replace('\n', ' ')));
        }
        return found;
    }

    @Override
    public byte[] sha256(String path) throws IOException {
        RemoteShell.Result r = shell(hashCommand(shellPath(path)));
        if (r != null) {
            byte[] found = hexDigest(r);
            if (found == null) {
                throw new IOException("SHA-256 of " + path + " on " + uri.hostAndPort() + " failed: " + r.out().strip());
            }
            return found;
        }
        return call("read " + full(path), c -> {
            MessageDigest md = SegmentChecksum.sha256();
            byte[] buf = new byte[4 << 20];
            try (SftpFile f = SftpFile.openForReading(c, full(path), () -> { })) {
                for (long pos = 0; ; ) {
                    int n = f.readFully(pos, buf, 0, buf.length);
                    md.update(buf, 0, n);
                    pos += n;
                    if (n < buf.length) {
                        break;
                    }
                }
            }
            return md.digest();
        });
    }

    @Override
    public void rename(String from, String to) throws IOException {
        call("rename " + full(from) + " to " + full(to), c -> {
            // posix-rename@openssh.com: atomic, and replaces an existing file as rename(2) does.
            c.sftp().rename(full(from), full(to), EnumSet.of(RenameFlags.OVERWRITE, RenameFlags.ATOMIC));
            return null;
        });
        syncDirectoryOf(to);
    }

    /** fsync of the directory holding {@code path}, through the shell; nothing without one. */
    private void syncDirectoryOf(String path) throws IOException {
        String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : ".";
        RemoteShell.Result r = shell("sync -- " + shellPath(dir));
        if (r != null && r.status() != 0) {
            throw new IOException("sync of " + dir + " on " + uri.hostAndPort() + " failed: " + r.out().strip());
        }
    }

    /**
     * The SFTP version 3 rename, which the protocol says must fail when the new name exists. OpenSSH's
     * server makes that atomic with link(2) and unlink(2) where the file system has hard links (where it
     * has not, it looks first, then renames: a narrow race). The failure comes back as a bare "failure",
     * so a failed rename is taken for a taken name only when the name is there.
     */
    @Override
    public boolean renameNoReplace(String from, String to) throws IOException {
        boolean renamed = call("rename " + full(from) + " to " + full(to), c -> {
            try {
                c.sftp().rename(full(from), full(to));
                return true;
            } catch (SFTPException e) {
                if (e.getStatusCode() == Response.StatusCode.FAILURE && c.sftp().statExistence(full(to)) != null) {
                    return false;
                }
                throw e;
            }
        });
        if (renamed) {
            syncDirectoryOf(to);
        }
        return renamed;
    }

    @Override
    public void delete(String path) throws IOException {
        call("delete " + full(path), c -> {
            try {
                c.sftp().rm(full(path));
            } catch (SFTPException e) {
                if (e.getStatusCode() != Response.StatusCode.NO_SUCH_FILE) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public List<String> list(String dir) throws IOException {
        return call("list " + full(dir), c -> {
            List<String> out = new ArrayList<>();
            try {
                for (RemoteResourceInfo i : c.sftp().ls(full(dir))) {
                    out.add(i.getName());
                }
            } catch (SFTPException e) {
                if (e.getStatusCode() != Response.StatusCode.NO_SUCH_FILE) {
                    throw e;
                }
            }
            return out;
        });
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        call("create " + full(dir), c -> {
            c.sftp().mkdirs(full(dir));
            return null;
        });
    }

    @Override
    public int read(String path, long offset, byte[] dst, int dstOff, int len) throws IOException {
        return read(path, offset, dst, dstOff, len, () -> { });
    }

    /** Reports progress whenever the host is heard from; fails within {@link #silenceBoundMs()} of silence. */
    @Override
    public int read(String path, long offset, byte[] dst, int dstOff, int len, Runnable progress) throws IOException {
        return call("read " + full(path), c -> {
            try (SftpFile f = SftpFile.openForReading(c, full(path), progress)) {
                return f.readFully(offset, dst, dstOff, len);
            }
        });
    }

    @Override
    public long silenceBoundMs() {
        return Liveness.boundMs();
    }

    @Override
    public void download(String path, Path dst) throws IOException {
        call("read " + full(path), c -> {
            byte[] buf = new byte[4 << 20];
            try (SftpFile f = SftpFile.openForReading(c, full(path), () -> { });
                 FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long pos = 0; ; ) {
                    int n = f.readFully(pos, buf, 0, buf.length);
                    out.write(java.nio.ByteBuffer.wrap(buf, 0, n));
                    pos += n;
                    if (n < buf.length) {
                        break;
                    }
                }
            }
            return null;
        });
    }

    /** statvfs@openssh.com: f_bavail × f_frsize; -1 when the server lacks the extension. */
    @Override
    public long freeBytes() throws IOException {
        return call("ask for the free space of " + uri.path(), c -> {
            SFTPEngine e = c.sftp().getSFTPEngine();
            if (!e.supportsServerExtension("statvfs", "openssh.com")) {
                return -1L;
            }
            Response r = e.request(e.newExtendedRequest("statvfs@openssh.com").putString(uri.path()))
                    .retrieve(e.getTimeoutMs(), TimeUnit.MILLISECONDS).ensurePacketTypeIs(PacketType.EXTENDED_REPLY);
            try {
                r.readUInt64(); // f_bsize
                long frsize = r.readUInt64();
                r.readUInt64(); // f_blocks
                r.readUInt64(); // f_bfree
                long bavail = r.readUInt64();
                return bavail * frsize;
            } catch (net.schmizz.sshj.common.Buffer.BufferException ex) {
                throw new IOException("bad statvfs reply from " + uri.hostAndPort(), ex);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
