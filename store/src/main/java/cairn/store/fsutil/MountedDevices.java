package cairn.store.fsutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Is a block device in use by a file system? Writing under a mounted file system corrupts it, so restore
 * and sync refuse such a target. A device counts as used when it, one of its partitions (/dev/loop0p1 of
 * /dev/loop0), or a device stacked on either (LVM, dm-crypt: sysfs {@code holders/}; a loop device whose
 * backing file is the device's node) is mounted, looked
 * up in /proc/self/mountinfo both by major:minor and by the mount's source name (btrfs reports an
 * anonymous major:minor), or is active swap.
 */
public final class MountedDevices {
    private static final MountedDevices SYSTEM = new MountedDevices(Path.of("/proc/self/mountinfo"),
            Path.of("/proc/swaps"), Path.of("/sys"));
    private final Path mountinfo;
    private final Path swaps;
    private final Path sysDevBlock;
    private final Path sysBlock;

    /** The tables of another root: tests use a copy of the layout, since not every kernel has partitions. */
    MountedDevices(Path mountinfo, Path swaps, Path sys) {
        this.mountinfo = mountinfo;
        this.swaps = swaps;
        this.sysDevBlock = sys.resolve("dev/block");
        this.sysBlock = sys.resolve("block");
    }

    /** This system's mounts and devices. */
    public static MountedDevices system() {
        return SYSTEM;
    }

    /** What uses a device: {@code device} (it, or a partition or device on it) is mounted on {@code where}, or is swap. */
    public record Use(String device, String where, boolean swap) {
        public String describe() {
            return swap ? device + " is in use as swap" : device + " is mounted on " + where;
        }
    }

    /** The mount point (or "swap") using {@code device} or anything on it, or null when none does. */
    public static String user(Path device) throws IOException {
        return system().use(device).map(u -> u.swap() ? "swap" : u.where()).orElse(null);
    }

    /** Why {@code device} (a block device node) must not be written, or empty when nothing uses it. */
    public Optional<Use> use(Path device) throws IOException {
        long rdev = (Long) Files.getAttribute(device, "unix:rdev");
        return use(major(rdev) + ":" + minor(rdev), device.toRealPath().toString());
    }

    /** The same for the device numbered {@code self} (major:minor) whose node is {@code node}. */
    Optional<Use> use(String self, String node) throws IOException {
        Set<String> numbers = new LinkedHashSet<>();
        collect(self, numbers, 0);
        Set<String> names = new LinkedHashSet<>();
        names.add(node);
        for (String n : numbers) {
            name(n).ifPresent(x -> names.add("/dev/" + x));
            Path mapper = Path.of("/dev/mapper");
            dmName(n).ifPresent(x -> names.add(mapper.resolve(x).toString()));
        }
        for (String line : lines(mountinfo)) {
            List<String> f = fields(line);
            int dash = f.indexOf("-");
            if (f.size() < 5 || dash < 0 || dash + 2 >= f.size()) {
                continue;
            }
            String source = f.get(dash + 2);
            if (numbers.contains(f.get(2)) || names.contains(source) || names.contains(realPath(source))) {
                String what = source.startsWith("/dev/") ? source : "device " + f.get(2);
                return Optional.of(new Use(what, f.get(4), false));
            }
        }
        for (String line : lines(swaps)) {
            List<String> f = fields(line);
            if (!f.isEmpty() && (names.contains(f.get(0)) || names.contains(realPath(f.get(0))))) {
                return Optional.of(new Use(f.get(0), "swap", true));
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code file} (a regular file) must not be written: it backs a loop device that is in use.
     * Empty when no loop device is attached to it, or none of those is mounted.
     */
    public Optional<String> useOfBackingFile(Path file) throws IOException {
        String real = file.toRealPath().toString();
        if (!Files.isDirectory(sysBlock)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> loops = Files.newDirectoryStream(sysBlock, "loop*")) {
            for (Path loop : loops) {
                Path backing = loop.resolve("loop/backing_file");
                if (!Files.isReadable(backing) || !read(backing).equals(real)) {
                    continue;
                }
                Path node = Path.of("/dev", loop.getFileName().toString());
                if (Files.exists(node)) {
                    Optional<Use> use = use(node);
                    if (use.isPresent()) {
                        return Optional.of(file + " is attached to " + node + ", and " + use.get().describe());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The device, its partitions and what is stacked on them, as major:minor, to a few levels. */
    private void collect(String number, Set<String> into, int depth) throws IOException {
        if (!into.add(number) || depth > 4) {
            return;
        }
        Path dir = sysDevBlock.resolve(number);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.isRegularFile(child.resolve("partition")) && Files.isRegularFile(child.resolve("dev"))) {
                    collect(read(child.resolve("dev")), into, depth + 1);
                }
            }
        }
        Path holders = dir.resolve("holders");
        if (Files.isDirectory(holders)) {
            try (DirectoryStream<Path> hs = Files.newDirectoryStream(holders)) {
                for (Path h : hs) {
                    Path dev = h.resolve("dev");
                    if (Files.isRegularFile(dev)) {
                        collect(read(dev), into, depth + 1);
                    }
                }
            }
        }
        for (String loop : loopsOn(number)) {
            collect(loop, into, depth + 1);
        }
    }

    /**
     * The loop devices whose backing file is this device's node: sysfs lists them under neither
     * {@code holders/} nor partitions, yet a file system mounted on one lives on this device.
     */
    private List<String> loopsOn(String number) throws IOException {
        Optional<String> name = name(number);
        List<String> out = new ArrayList<>();
        if (name.isEmpty() || !Files.isDirectory(sysBlock)) {
            return out;
        }
        String node = "/dev/" + name.get();
        try (DirectoryStream<Path> loops = Files.newDirectoryStream(sysBlock, "loop*")) {
            for (Path loop : loops) {
                Path backing = loop.resolve("loop/backing_file");
                if (Files.isReadable(backing) && Files.isRegularFile(loop.resolve("dev"))) {
                    String file = read(backing);
                    if (file.equals(node) || realPath(file).equals(node)) {
                        out.add(read(loop.resolve("dev")));
                    }
                }
            }
        }
        return out;
    }

    /** The kernel's name of a block device (loop0p1), from sysfs. */
    private Optional<String> name(String number) {
        try {
            return Optional.of(sysDevBlock.resolve(number).toRealPath().getFileName().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A device-mapper device's name (vg-lv), which mounts show as /dev/mapper/NAME. */
    private Optional<String> dmName(String number) {
        Path f = sysDevBlock.resolve(number).resolve("dm/name");
        try {
            return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String realPath(String p) {
        try {
            return p.startsWith("/") ? Path.of(p).toRealPath().toString() : p;
        } catch (IOException | RuntimeException e) {
            return p;
        }
    }

    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8).trim();
    }

    private static List<String> lines(Path p) throws IOException {
        if (!Files.exists(p)) {
            return List.of();
        }
        return Files.readAllLines(p, StandardCharsets.ISO_8859_1);
    }

    /** Space-separated fields with the kernel's octal escapes (\040 for a space) undone. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String raw : line.trim().split("\\s+")) {
            if (!raw.isEmpty()) {
                out.add(unescape(raw));
            }
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.write((s.charAt(i + 1) - '0') * 64 + (s.charAt(i + 2) - '0') * 8 + (s.charAt(i + 3) - '0'));
                i += 3;
            } else {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
