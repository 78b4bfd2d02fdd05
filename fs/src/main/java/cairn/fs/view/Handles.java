package cairn.fs.view;

import cairn.fs.fuse.Errno;
import cairn.fs.fuse.FsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The open-file and open-directory table: handle numbers given to the kernel → their state. Thread-safe. */
final class Handles {
    private final AtomicLong next = new AtomicLong(1);
    private final Map<Long, Object> open = new ConcurrentHashMap<>();

    long add(Object state) {
        long h = next.getAndIncrement();
        open.put(h, state);
        return h;
    }

    <T> T get(long handle, Class<T> type) throws FsException {
        Object o = open.get(handle);
        if (!type.isInstance(o)) {
            throw new FsException(Errno.EBADF);
        }
        return type.cast(o);
    }

    void remove(long handle) {
        open.remove(handle);
    }

    int size() {
        return open.size();
    }
}
