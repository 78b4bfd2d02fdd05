package cairn.store.fsutil;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.channels.FileChannel;

/**
 * Channels over descriptors that cairn opened itself ({@link UnixCalls#openAt}): the JDK opens only by
 * path, so a descriptor opened relative to a directory, or with flags the JDK does not offer, becomes a
 * channel through a {@link FileDescriptor}, whose number is set through the {@code --add-opens
 * java.base/java.io=ALL-UNNAMED} the launcher passes. Closing the channel closes the descriptor.
 */
public final class FileDescriptors {
    private static final MethodHandle SET_FD;

    static {
        try {
            SET_FD = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findSetter(FileDescriptor.class, "fd", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "cairn needs the JVM option --add-opens java.base/java.io=ALL-UNNAMED (" + e + ")");
        }
    }

    private FileDescriptors() {
    }

    /** A channel that reads {@code fd} and owns it. */
    public static FileChannel readChannel(int fd) {
        return new FileInputStream(descriptor(fd)).getChannel();
    }

    /** A channel that writes {@code fd} (positional writes included) and owns it. */
    public static FileChannel writeChannel(int fd) {
        return new FileOutputStream(descriptor(fd)).getChannel();
    }

    private static FileDescriptor descriptor(int fd) {
        FileDescriptor d = new FileDescriptor();
        try {
            SET_FD.invokeExact(d, fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return d;
    }
}
