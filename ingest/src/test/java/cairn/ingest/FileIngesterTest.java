package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import cairn.store.catalog.ChunkList;
import cairn.store.catalog.Entry;
import cairn.store.catalog.EntryType;
import cairn.store.chunk.ChunkerParams;
import cairn.store.codec.ChunkCodec;
import cairn.store.fsutil.Posix;
import cairn.store.fsutil.RawPaths;
import cairn.store.fsutil.UnixCalls;
import cairn.store.repo.ChunkWriter;
import cairn.store.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A result that never comes (a batch never handed to a reader) must fail the test, not hang it. */
@Timeout(120)
class FileIngesterTest {
    @TempDir
    Path tmp;

    @Test
    void filesReadAheadByTheKernelAreStoredWholeAndTheReadAheadBudgetIsGivenBack() throws Exception {
        // More than the read-ahead budget in files under the hint size, so some are hinted and some not.
        int n = (int) (2 * FileIngester.HINT_AHEAD / FileIngester.HINT_MAX_FILE) + 8;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(write("f" + i, Fixture.random(i, (int) FileIngester.HINT_MAX_FILE - i)));
        }
        ingestAndCheck(files);
    }

    @Test
    void smallFilesGoInBatchesAndEachComesBackWithItsOwnContent() throws Exception {
        // Batches closed by count, by bytes, and one left open until the flush; empty files among them.
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3 * FileIngester.BATCH_FILES + 5; i++) {
            files.add(write("s" + i, Fixture.random(100 + i, i % 7 == 0 ? 0 : 50 * i)));
        }
        for (int i = 0; i < 4; i++) {
            files.add(write("m" + i, Fixture.random(200 + i, (int) (FileIngester.BATCH_BYTES / 3))));
        }
        files.add(write("large", Fixture.random(300, ChunkerParams.DEFAULT.min() * 3)));
        files.add(write("last", Fixture.random(301, 10)));
        ingestAndCheck(files);
    }

    @Test
    void aFileReplacedSinceItWasListedIsReportedAndWhatTookItsPlaceIsNeitherWaitedOnNorFollowed() throws Exception {
        // Each name held a regular file of the size passed when the walker listed it; then something else
        // took the name. Opened plainly, the FIFO would wait for a writer for ever.
        int min = ChunkerParams.DEFAULT.min();
        Path smallFifo = tmp.resolve("small-fifo");
        Posix.mknod(RawPaths.bytes(smallFifo), 0010644, 0);
        Path largeFifo = tmp.resolve("large-fifo");
        Posix.mknod(RawPaths.bytes(largeFifo), 0010644, 0);
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), write("target", Fixture.random(1, 100)));
        Path file = write("file", Fixture.random(2, 100));
        List<Path> paths = List.of(smallFifo, largeFifo, dir, link, file);
        List<Long> listedSizes = List.of(100L, 3L * min, 100L, 100L, 100L);

        List<FileIngester.Result> results = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ingest(paths, listedSizes));
        assertEquals("replaced by a FIFO during the backup", results.get(0).error().getMessage());
        assertEquals("replaced by a FIFO during the backup", results.get(1).error().getMessage());
        assertEquals("replaced by a directory during the backup", results.get(2).error().getMessage());
        assertEquals("replaced by a symbolic link during the backup", results.get(3).error().getMessage());
        assertNull(results.get(4).error());
        assertEquals(100, results.get(4).size());
    }

    @Test
    void aFileSavedOverSinceItWasListedIsRecordedWithTheMetadataOfWhatWasRead() throws Exception {
        Path doc = write("doc", Fixture.random(3, 100));
        FileStat listed = FileStat.of(doc);
        Entry listedEntry = new Entry(RawPaths.fileName(doc), EntryType.FILE, listed.mode(), listed.uid(),
                listed.gid(), listed.size(), listed.mtimeNs(), listed.ctimeNs(), listed.ino(), listed.dev(),
                listed.nlink(), 0, 0, 0, null);
        // Saved the way editors save: a new file renamed over the old name.
        Path fresh = write("doc.new", Fixture.random(4, 250));
        Files.setLastModifiedTime(fresh, FileTime.fromMillis(1_000_000_000_000L));
        Files.move(fresh, doc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileStat saved = FileStat.of(doc);

        FileIngester.Result r = ingest(List.of(doc), List.of(listed.size())).get(0);
        assertNull(r.error());
        assertEquals(250, r.size());
        Entry recorded = TreeWalker.asRead(listedEntry, r.read());
        assertEquals(saved.ino(), recorded.ino());
        assertEquals(saved.mtimeNs(), recorded.mtimeNs());
        assertEquals(saved.ctimeNs(), recorded.ctimeNs());
        assertEquals(listedEntry, TreeWalker.asRead(listedEntry, listed), "an unchanged file keeps its listing");
    }

    @Test
    void aFileIsReadFromTheDirectoryListedWhateverTakesThatDirectorysPathMeanwhile() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Path small = Files.write(dir.resolve("small"), Fixture.random(5, 100));
        Path large = Files.write(dir.resolve("large"), Fixture.random(6, ChunkerParams.DEFAULT.min() * 2));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.write(elsewhere.resolve("small"), Fixture.random(7, 250));
        Files.write(elsewhere.resolve("large"), Fixture.random(8, ChunkerParams.DEFAULT.min() * 3));
        FileStat listed = FileStat.of(dir);
        long smallIno = FileStat.of(small).ino();
        long largeIno = FileStat.of(large).ino();
        byte[] whole = RawPaths.bytes(dir);
        try (UnixCalls.Directory d = ListedPaths.readDirectory(UnixCalls.AT_FDCWD, whole, dir, listed.dev(),
                listed.ino())) {
            // After the listing, the directory moves away and a symlink to another one takes its path.
            Files.move(dir, tmp.resolve("moved"));
            Files.createSymbolicLink(dir, elsewhere);
            List<FileIngester.Result> r = ingestWith(in -> List.of(
                    in.submit(d.fd(), "small".getBytes(), small, 100),
                    in.submit(d.fd(), "large".getBytes(), large, ChunkerParams.DEFAULT.min() * 2L)));
            assertEquals(100, r.get(0).size());
            assertEquals(smallIno, r.get(0).read().ino());
            assertEquals(ChunkerParams.DEFAULT.min() * 2L, r.get(1).size());
            assertEquals(largeIno, r.get(1).read().ino());
        }
    }

    /** Submits each path as listed with the given size, and returns the results in order. */
    private List<FileIngester.Result> ingest(List<Path> paths, List<Long> listedSizes) throws Exception {
        return ingestWith(in -> {
            List<Future<FileIngester.Result>> pending = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                pending.add(in.submit(UnixCalls.AT_FDCWD, RawPaths.bytes(paths.get(i)), paths.get(i),
                        listedSizes.get(i)));
            }
            return pending;
        });
    }

    private interface Submitter {
        List<Future<FileIngester.Result>> submit(FileIngester ingester) throws Exception;
    }

    /** Runs {@code submitter} against a fresh repository and returns its results in order. */
    private List<FileIngester.Result> ingestWith(Submitter submitter) throws Exception {
        List<FileIngester.Result> out = new ArrayList<>();
        try (Repository repo = Repository.init(tmp.resolve("repo"))) {
            repo.catalog().begin();
            try (ChunkWriter writer = repo.newChunkWriter(new ChunkCodec(3), 64 << 20);
                 FileIngester ingester = new FileIngester(writer, repo.catalog(), ChunkerParams.DEFAULT, 2,
                         new BackupStats())) {
                List<Future<FileIngester.Result>> pending = submitter.submit(ingester);
                ingester.flush();
                for (Future<FileIngester.Result> f : pending) {
                    out.add(f.get());
                }
                writer.finish();
            }
            repo.catalog().commit();
        }
        return out;
    }

    private Path write(String name, byte[] data) throws Exception {
        return Files.write(tmp.resolve(name), data);
    }

    private void ingestAndCheck(List<Path> files) throws Exception {
        int n = files.size();
        try (Repository repo = Repository.init(tmp.resolve("repo"))) {
            List<FileIngester.Result> results = new ArrayList<>();
            repo.catalog().begin();
            try (ChunkWriter writer = repo.newChunkWriter(new ChunkCodec(3), 64 << 20);
                 FileIngester ingester = new FileIngester(writer, repo.catalog(), ChunkerParams.DEFAULT, 2,
                         new BackupStats())) {
                List<Future<FileIngester.Result>> pending = new ArrayList<>();
                for (Path f : files) {
                    pending.add(ingester.submit(UnixCalls.AT_FDCWD, RawPaths.bytes(f), f, Files.size(f)));
                }
                ingester.flush();
                for (Future<FileIngester.Result> f : pending) {
                    results.add(f.get());
                }
                assertEquals(0, ingester.hintedBytes(), "every hinted file was read, and its bytes given back");
                writer.finish();
            }
            repo.catalog().commit();
            for (int i = 0; i < n; i++) {
                assertNull(results.get(i).error());
                ChunkList list = repo.catalog().contents().get(results.get(i).contentId()).chunks();
                byte[] back = new byte[(int) list.size()];
                repo.contents().read(list, 0, back, 0, back.length);
                assertArrayEquals(Files.readAllBytes(files.get(i)), back, "file " + i);
            }
        }
    }
}
