package cairn.fs;

import cairn.fs.mount.FuseMount;
import cairn.fs.mount.MountTable;
import cairn.fs.mount.Unmount;
import cairn.fs.view.CairnFs;
import cairn.store.catalog.Snapshot;
import cairn.store.catalog.SnapshotResolver;
import cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A repository mounted in-process for a test; close() unmounts with retries and closes everything. */
final class Mounted implements AutoCloseable {
    final Repository repo;
    final CairnFs fs;
    final FuseMount mount;
    final Path dir;
    final List<String> log;

    private Mounted(Repository repo, CairnFs fs, FuseMount mount, List<String> log) {
        this.repo = repo;
        this.fs = fs;
        this.mount = mount;
        this.dir = mount.mountPoint();
        this.log = log;
    }

    /** Mounts every snapshot of {@code repoDir} (or only {@code only}, when given) at {@code dir}. */
    static Mounted mount(Path repoDir, Path dir, String only) throws IOException {
        FuseTests.requireFuse();
        Files.createDirectories(dir);
        Repository repo = Repository.open(repoDir, 64L << 20);
        List<String> log = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(String line) {
                System.err.println(line); // visible in the test report
                return super.add(line);
            }
        };
        CairnFs fs = null;
        try {
            if (only == null) {
                fs = CairnFs.allSnapshots(repo, log::add);
            } else {
                Snapshot s = SnapshotResolver.resolve(repo.catalog(), only);
                fs = CairnFs.oneSnapshot(repo, s, log::add);
            }
            return new Mounted(repo, fs, FuseMount.start(fs, dir, log::add), log);
        } catch (IOException | RuntimeException e) {
            if (fs != null) {
                fs.close();
            }
            repo.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            mount.close();
            for (int i = 0; i < 50 && MountTable.isMountPoint(dir); i++) {
                Unmount.run(dir, i > 10);
                Thread.sleep(100);
            }
        } finally {
            fs.close();
            repo.close();
        }
    }
}
