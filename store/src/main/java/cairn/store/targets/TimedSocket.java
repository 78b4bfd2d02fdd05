package cairn.store.targets;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A TCP socket that remembers when bytes last came in from the other end: how a host that has stopped
 * answering, while its connection stays open, is told from one that is merely busy ({@link Liveness},
 * {@link ConnectDeadline}). Every byte counts, whatever it carries: data for any reader sharing the
 * connection, or the answer to a keepalive.
 */
final class TimedSocket extends Socket {
    private volatile long lastInputNs = System.nanoTime();
    private InputStream in;

    /** {@link System#nanoTime()} when bytes last arrived, or when the socket was made if none has. */
    long lastInputNs() {
        return lastInputNs;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        lastInputNs = System.nanoTime();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        lastInputNs = System.nanoTime();
                    }
                    return n;
                }
            };
        }
        return in;
    }
}
