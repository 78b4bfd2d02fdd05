package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every socket the deadline's factory makes is watched: one it connects itself is cut off too. */
class ConnectDeadlineTest {
    @AfterEach
    void clear() {
        System.clearProperty(ConnectDeadline.PROPERTY);
    }

    @Test
    void aSocketConnectedByTheFactoryIsClosedWhenTheDeadlinePasses() throws Exception {
        System.setProperty(ConnectDeadline.PROPERTY, "300");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket silent = new ServerSocket(0, 1, loopback);
             ConnectDeadline deadline = ConnectDeadline.start()) {
            Socket byName = deadline.socketFactory().createSocket(loopback.getHostAddress(), silent.getLocalPort());
            assertTrue(byName.isConnected());
            assertThrows(IOException.class, () -> byName.getInputStream().read(), "the read outlived the deadline");
            assertTrue(deadline.expired());
            assertTrue(byName.isClosed());
        }
    }

    @Test
    void aSocketBoundToALocalAddressIsConnectedFromIt() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             ConnectDeadline deadline = ConnectDeadline.start();
             Socket s = deadline.socketFactory().createSocket(loopback, server.getLocalPort(), loopback, 0)) {
            assertTrue(s.isConnected() && s.isBound());
            assertTrue(s.getLocalAddress().isLoopbackAddress());
        }
    }
}
