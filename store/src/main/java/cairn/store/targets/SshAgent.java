package cairn.store.targets;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the user's SSH agent ({@code ssh-agent}, reached through the Unix socket named by
 * {@code $SSH_AUTH_SOCK}): it lists the keys the agent holds and has it sign with one. The private keys
 * never leave the agent, so a key with a passphrase, unlocked once by {@code ssh-add}, serves cairn too.
 *
 * <p>The protocol (draft-miller-ssh-agent): each message is a uint32 length, a type byte and its fields;
 * strings are a uint32 length and the bytes. One request at a time; not thread-safe.
 *
 * <p>Every request has a deadline. An agent can keep a request waiting for ever: a key added with
 * {@code ssh-add -c} asks for confirmation on a display that a cron job has not got, a forwarded agent's
 * connection may have died. Without a deadline a backup would hang there holding the repository's lock.
 */
final class SshAgent implements AutoCloseable {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** Sign flag: an RSA key signs with SHA-256 (rsa-sha2-256), which servers accept; SHA-1 they refuse. */
    static final int RSA_SHA2_256 = 2;
    /** Longest answer taken from the agent; a real one is a few KiB. */
    private static final int MAX_MESSAGE = 256 << 10;
    /** Long enough for a person to confirm a key or touch a token. */
    static final long DEFAULT_TIMEOUT_MS = 60_000;

    /** A public key the agent holds: its blob (the SSH wire form, type name first) and comment. */
    record Identity(byte[] blob, String type, String comment) {
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Path socket;
    private final long timeoutMs;

    private SshAgent(SocketChannel channel, Path socket, long timeoutMs) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.timeoutMs = timeoutMs;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** The agent of {@code $SSH_AUTH_SOCK}, or null when that is unset. */
    static SshAgent ofEnvironment() throws IOException {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return sock == null || sock.isEmpty() ? null : connect(Path.of(sock));
    }

    static SshAgent connect(Path socket) throws IOException {
        return connect(socket, DEFAULT_TIMEOUT_MS);
    }

    /** {@code timeoutMs}: how long one request may wait for the agent. */
    static SshAgent connect(Path socket, long timeoutMs) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // A Unix socket connects at once or fails: it is never left pending.
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new SshAgent(ch, socket, timeoutMs);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot reach the SSH agent at " + socket + " ($SSH_AUTH_SOCK): " + e.getMessage(), e);
        }
    }

    List<Identity> identities() throws IOException {
        ByteBuffer answer = call(ByteBuffer.wrap(new byte[] {REQUEST_IDENTITIES}), IDENTITIES_ANSWER);
        int n = answer.getInt();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = string(answer);
            String comment = new String(string(answer), StandardCharsets.UTF_8);
            out.add(new Identity(blob, new String(string(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII), comment));
        }
        return out;
    }

    /** The agent's signature of {@code data} with the key {@code blob}: the SSH wire form (algorithm, then bytes). */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteBuffer req = ByteBuffer.allocate(1 + 4 + blob.length + 4 + data.length + 4);
        req.put(SIGN_REQUEST).putInt(blob.length).put(blob).putInt(data.length).put(data).putInt(flags).flip();
        return string(call(req, SIGN_RESPONSE));
    }

    /** Sends one message and returns the answer's fields, which must be of type {@code expected}. */
    private ByteBuffer call(ByteBuffer message, byte expected) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        ByteBuffer len = ByteBuffer.allocate(4).putInt(message.remaining()).flip();
        ByteBuffer[] out = {len, message};
        while (message.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        ByteBuffer head = readFully(ByteBuffer.allocate(4), deadline);
        int n = head.getInt();
        if (n < 1 || n > MAX_MESSAGE) {
            throw new IOException("the SSH agent sent a message of " + Integer.toUnsignedString(n) + " bytes");
        }
        ByteBuffer body = readFully(ByteBuffer.allocate(n), deadline);
        byte type = body.get();
        if (type == FAILURE) {
            throw new IOException("the SSH agent refused the request");
        }
        if (type != expected) {
            throw new IOException("the SSH agent answered with message type " + type + ", expected " + expected);
        }
        return body;
    }

    private ByteBuffer readFully(ByteBuffer b, long deadline) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                throw new IOException("the SSH agent closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
        return b.flip();
    }

    /** Waits until the socket is ready for {@code op}; fails once {@code deadline} (System.nanoTime) has passed. */
    private void await(int op, long deadline) throws IOException {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
        if (leftMs <= 0) {
            throw new IOException("the SSH agent at " + socket + " did not answer within " + timeoutMs / 1000.0
                    + " s (a key that needs confirming, or a forwarded agent that is gone?)");
        }
        key.interestOps(op);
        selector.select(leftMs);
        selector.selectedKeys().clear();
    }

    private static byte[] string(ByteBuffer b) throws IOException {
        if (b.remaining() < 4) {
            throw new IOException("truncated message from the SSH agent");
        }
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IOException("truncated message from the SSH agent");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws IOException {
        try (selector) {
            channel.close();
        }
    }
}
