package cairn.fs.fuse;

import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** C strings as raw bytes in both directions: no charset ever touches a file name. */
final class NativeBytes {
    private NativeBytes() {
    }

    /** The bytes of a NUL-terminated string; null for a NULL pointer. */
    static byte[] read(Pointer p) {
        if (p == null || p.address() == 0) {
            return null;
        }
        int n = p.indexOf(0, (byte) 0);
        byte[] b = new byte[n];
        p.get(0, b, 0, n);
        return b;
    }

    /** Writes {@code b} and a NUL at {@code p}. */
    static void writeCString(Pointer p, long offset, byte[] b) {
        p.put(offset, b, 0, b.length);
        p.putByte(offset + b.length, (byte) 0);
    }

    /**
     * A C {@code char *argv[]} (NULL-terminated) of the given strings. The returned holder keeps the
     * strings' memory alive; it must stay reachable while C uses the array.
     */
    static Argv argv(Runtime runtime, List<byte[]> args) {
        Pointer[] strings = new Pointer[args.size()];
        Pointer array = Memory.allocateDirect(runtime, (long) (args.size() + 1) * runtime.addressSize(), true);
        for (int i = 0; i < strings.length; i++) {
            byte[] a = args.get(i);
            strings[i] = Memory.allocateDirect(runtime, a.length + 1, true);
            writeCString(strings[i], 0, a);
            array.putPointer((long) i * runtime.addressSize(), strings[i]);
        }
        array.putAddress((long) strings.length * runtime.addressSize(), 0L);
        return new Argv(args.size(), array, strings);
    }

    record Argv(int argc, Pointer array, Pointer[] strings) {
    }
}
