package cairn.store.image;

import cairn.store.catalog.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The name an image snapshot's one file has in {@code ls}, the mount and restore: the source's base name
 * ({@code /srv/vm/disk.img} → {@code disk.img}), without a {@code .gz} suffix (an imported
 * {@code disk.img.gz} is the image {@code disk.img}), and with {@code .img} added for a block device
 * ({@code /dev/sdb} → {@code sdb.img}), so a copy dragged out of the mount is recognisably an image
 * file rather than something that looks like a device name.
 */
public final class ImageName {
    private ImageName() {
    }

    public static byte[] of(Snapshot s) {
        byte[] src = s.source();
        int slash = src.length - 1;
        while (slash >= 0 && src[slash] != '/') {
            slash--;
        }
        byte[] base = Arrays.copyOfRange(src, slash + 1, src.length);
        if (FileType.isBlockDevice(s.rootMode())) { // root_mode keeps the source's type (store/FORMAT.md)
            return concat(base, ".img");
        }
        if (base.length > 3 && endsWith(base, ".gz")) {
            return Arrays.copyOf(base, base.length - 3);
        }
        return base.length == 0 ? (s.name() + ".img").getBytes(StandardCharsets.US_ASCII) : base;
    }

    private static boolean endsWith(byte[] b, String suffix) {
        byte[] x = suffix.getBytes(StandardCharsets.US_ASCII);
        return Arrays.equals(b, b.length - x.length, b.length, x, 0, x.length);
    }

    private static byte[] concat(byte[] a, String suffix) {
        byte[] x = suffix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(a, a.length + x.length);
        System.arraycopy(x, 0, out, a.length, x.length);
        return out;
    }
}
