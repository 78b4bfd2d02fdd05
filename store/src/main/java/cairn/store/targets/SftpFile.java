package cairn.store.targets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * An open remote file with what sshj's {@link RemoteFile} lacks: fsync (the {@code fsync@openssh.com}
 * extension, which needs the handle) and reads and writes that keep many requests in flight, so a
 * transfer runs at the link's speed rather than one round trip per 32 KiB.
 *
 * <p>Each answer (open, reads, writes, fsync, close) is waited for through the connection's
 * {@link Liveness}: a host that stops answering fails the transfer within its bound, not after SFTP's
 * 60 s per request (a push to a frozen host used to wait that long for each of the writes in flight,
 * then again to clean up). A write waiting for the host's channel window blocks inside sshj instead;
 * {@link SftpStore} watches the whole upload for that.
 */
final class SftpFile extends RemoteFile {
    /** Requests in flight per transfer. */
    static final int IN_FLIGHT = 32;
    /**
     * Bytes per write request. OpenSSH's sftp-server takes messages up to 256 KiB; sending the
     * largest that fits (the channel splits it into packets) costs one request, one answer and one
     * system call there per 255 KiB instead of per 32 KiB, which more than halves the CPU a push
     * costs on both ends.
     */
    static final int WRITE_REQUEST = 255 << 10;
    /** Bytes asked for per read request; OpenSSH's sftp-server answers up to 255 KiB. */
    static final int READ_REQUEST = 128 << 10;

    private static final Runnable NOTHING = () -> { };

    private final Liveness liveness;
    private final Runnable progress;
    /** What the file is open for, for messages: "reading /srv/x.seg". */
    private final String doing;

    private SftpFile(SFTPEngine engine, String path, byte[] handle, Liveness liveness, Runnable progress,
                     String doing) {
        super(engine, path, handle);
        this.liveness = liveness;
        this.progress = progress;
        this.doing = doing;
    }

    /** Opens {@code path} on {@code c} to write it from the start, creating or emptying it. */
    static SftpFile openForWriting(SshConnection c, String path) throws IOException {
        return open(c, path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC), NOTHING, "writing " + path);
    }

    /**
     * Opens {@code path} on {@code c} for reading, waiting for every answer through the connection's
     * {@link Liveness}; {@code progress} runs whenever the host is heard from meanwhile.
     */
    static SftpFile openForReading(SshConnection c, String path, Runnable progress) throws IOException {
        return open(c, path, EnumSet.of(OpenMode.READ), progress, "reading " + path);
    }

    private static SftpFile open(SshConnection c, String path, Set<OpenMode> modes, Runnable progress, String doing)
            throws IOException {
        SFTPEngine engine = c.sftp().getSFTPEngine();
        Promise<Response, SFTPException> open = engine.request(engine.newRequest(PacketType.OPEN)
                .putString(path, engine.getSubsystem().getRemoteCharset())
                .putUInt32(OpenMode.toMask(modes)).putFileAttributes(FileAttributes.EMPTY));
        byte[] handle = c.liveness().await(open, engine.getTimeoutMs(), "opening " + path, progress)
                .ensurePacketTypeIs(PacketType.HANDLE).readBytes();
        return new SftpFile(engine, path, handle, c.liveness(), progress, doing);
    }

    /** The answer to a request of this file's. */
    private Response answer(Promise<Response, SFTPException> p) throws IOException {
        return liveness.await(p, requester.getTimeoutMs(), doing, progress);
    }

    /** Flushes the file to the remote disk; false when the server lacks the extension. */
    boolean fsync() throws IOException {
        if (!requester.supportsServerExtension("fsync", "openssh.com")) {
            return false;
        }
        answer(requester.request(requester.newExtendedRequest("fsync@openssh.com").putString(handle)))
                .ensureStatusPacketIsOK();
        return true;
    }

    /** Writes all of {@code in} from offset 0, with up to {@link #IN_FLIGHT} writes unacknowledged. */
    void writeAll(FileChannel in) throws IOException {
        int block = WRITE_REQUEST - getOutgoingPacketOverhead();
        Deque<Promise<Response, SFTPException>> pending = new ArrayDeque<>();
        long size = in.size();
        ByteBuffer buf = ByteBuffer.allocate(block);
        for (long pos = 0; pos < size; ) {
            buf.clear();
            int n = in.read(buf, pos);
            if (n < 0) {
                throw new IOException("local file shrank while uploading it (" + pos + " of " + size + " bytes)");
            }
            if (pending.size() >= IN_FLIGHT) {
                confirm(pending.poll());
            }
            // The request copies the bytes into its packet, so the buffer can be refilled at once.
            pending.add(asyncWrite(pos, buf.array(), 0, n));
            pos += n;
        }
        while (!pending.isEmpty()) {
            confirm(pending.poll());
        }
    }

    /**
     * Closes the handle. When the connection has died, sshj fails every later call with the one
     * exception object it failed the first with; try-with-resources would then add that object to
     * itself as suppressed, which throws IllegalArgumentException and hides the real error. A fresh
     * exception that wraps it keeps both.
     */
    @Override
    public void close() throws IOException {
        try {
            answer(requester.request(newRequest(PacketType.CLOSE))).ensureStatusPacketIsOK();
        } catch (IOException e) {
            throw new IOException("closing " + path + ": " + e.getMessage(), e);
        }
    }

    private void confirm(Promise<Response, SFTPException> p) throws IOException {
        answer(p).ensureStatusPacketIsOK();
    }

    private record Pending(long offset, int length, Promise<Response, SFTPException> promise) {
    }

    /**
     * Reads {@code len} bytes at {@code offset} into {@code dst} with requests in flight; returns the
     * bytes read, fewer than {@code len} only when the file ends.
     */
    int readFully(long offset, byte[] dst, int dstOff, int len) throws IOException {
        Deque<Pending> pending = new ArrayDeque<>();
        long next = offset;
        long end = offset + len;
        int done = 0;
        boolean eof = false;
        while (!eof && done < len) {
            while (next < end && pending.size() < IN_FLIGHT) {
                int n = (int) Math.min(READ_REQUEST, end - next);
                pending.add(new Pending(next, n, asyncRead(next, n)));
                next += n;
            }
            Pending p = pending.poll();
            Response res = answer(p.promise());
            int got = checkReadResponse(res, dst, dstOff + (int) (p.offset() - offset));
            if (got < 0) {
                eof = true;
                break;
            }
            done += got;
            if (got < p.length()) {
                // A short answer: either the end of the file or a server that caps request sizes.
                // Finish this piece one request at a time; later pieces are still valid.
                int rest = readSequential(p.offset() + got, dst, dstOff + (int) (p.offset() - offset) + got, p.length() - got);
                done += rest;
                if (rest < p.length() - got) {
                    eof = true;
                }
            }
        }
        // Answers still in flight must be collected so they do not linger in the engine.
        for (Pending p : pending) {
            answer(p.promise());
        }
        return done;
    }

    private int readSequential(long offset, byte[] dst, int dstOff, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int got = checkReadResponse(answer(asyncRead(offset + done, len - done)), dst, dstOff + done);
            if (got < 0) {
                break;
            }
            done += got;
        }
        return done;
    }
}
