package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol against stand-in agents that misbehave; {@code SshAgentIT} runs the real ssh-agent. */
class SshAgentTest {
    @TempDir
    Path dir;

    /** Serves one connection: reads one request, then does what {@code reply} says with the socket. */
    private interface Reply {
        void to(SocketChannel client) throws Exception;
    }

    private Thread serve(Path socket, Reply reply, CountDownLatch done) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel client = server.accept()) {
                ByteBuffer len = ByteBuffer.allocate(4);
                while (len.hasRemaining()) {
                    client.read(len);
                }
                ByteBuffer body = ByteBuffer.allocate(len.flip().getInt());
                while (body.hasRemaining()) {
                    client.read(body);
                }
                reply.to(client);
            } catch (Exception e) {
                // the client went away first: nothing to serve
            } finally {
                done.countDown();
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    @Timeout(20)
    void anAgentThatNeverAnswersFailsTheRequestAtTheDeadline() throws Exception {
        Path socket = dir.resolve("agent.sock");
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        serve(socket, client -> hold.await(), done);
        try (SshAgent agent = SshAgent.connect(socket, 300)) {
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, agent::identities);
            long ms = (System.nanoTime() - t0) / 1_000_000L;
            assertTrue(e.getMessage().contains("did not answer within 0.3 s"), e.getMessage());
            assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
            assertTrue(ms >= 250 && ms < 10_000, "gave up after " + ms + " ms");
        } finally {
            hold.countDown();
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(20)
    void anAgentThatHangsUpIsNamed() throws Exception {
        Path socket = dir.resolve("agent.sock");
        CountDownLatch done = new CountDownLatch(1);
        serve(socket, client -> client.close(), done);
        try (SshAgent agent = SshAgent.connect(socket, 5_000)) {
            IOException e = assertThrows(IOException.class, agent::identities);
            assertEquals("the SSH agent closed the connection", e.getMessage());
        }
    }

    @Test
    @Timeout(20)
    void anAnswerSentInPiecesIsReadWhole() throws Exception {
        Path socket = dir.resolve("agent.sock");
        byte[] blob = sshString("ssh-ed25519", new byte[32]);
        byte[] comment = "me@host".getBytes(StandardCharsets.UTF_8);
        ByteBuffer answer = ByteBuffer.allocate(4 + 1 + 4 + 4 + blob.length + 4 + comment.length);
        answer.putInt(answer.capacity() - 4).put((byte) 12).putInt(1)
                .putInt(blob.length).put(blob).putInt(comment.length).put(comment).flip();
        CountDownLatch done = new CountDownLatch(1);
        serve(socket, client -> {
            while (answer.hasRemaining()) { // a byte at a time, with pauses: the client must wait, not fail
                ByteBuffer one = ByteBuffer.wrap(new byte[] {answer.get()});
                client.write(one);
                Thread.sleep(answer.remaining() % 16 == 0 ? 20 : 0);
            }
        }, done);
        try (SshAgent agent = SshAgent.connect(socket, 5_000)) {
            List<SshAgent.Identity> ids = agent.identities();
            assertEquals(1, ids.size());
            assertEquals("ssh-ed25519", ids.get(0).type());
            assertEquals("me@host", ids.get(0).comment());
        }
    }

    private static byte[] sshString(String type, byte[] key) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + t.length + 4 + key.length).putInt(t.length).put(t).putInt(key.length).put(key).array();
    }
}
