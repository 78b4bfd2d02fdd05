package cairn.store.fsutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryFilesTest {
    @TempDir
    Path dir;

    @AfterEach
    void resume() {
        TemporaryFiles.resume();
    }

    @Test
    void aFileRenamedIntoPlaceStaysAndOneNotRenamedIsRemoved() throws Exception {
        Path tmp = Files.writeString(dir.resolve(".a.tmp"), "whole");
        Path failed = Files.writeString(dir.resolve(".b.tmp"), "cut short");
        try (TemporaryFiles files = new TemporaryFiles()) {
            files.add(tmp).rename(() -> Files.move(tmp, dir.resolve("a"), StandardCopyOption.ATOMIC_MOVE));
            files.add(failed);
        }
        assertEquals("whole", Files.readString(dir.resolve("a")));
        assertFalse(Files.exists(failed));
    }

    /** After the stop no file takes its name; whatever is still registered goes, and nothing else. */
    @Test
    void onceStoppedNothingIsRenamedAndWhatIsLeftIsRemoved() throws Exception {
        Path tmp = Files.writeString(dir.resolve(".a.tmp"), "whole");
        Path notOurs = Files.writeString(dir.resolve(".other.tmp"), "another writer's");
        TemporaryFiles files = new TemporaryFiles();
        try {
            TemporaryFiles.Pending p = files.add(tmp);
            TemporaryFiles.stopAll();
            assertTrue(TemporaryFiles.stopping());
            assertThrows(TemporaryFiles.Stopped.class,
                    () -> p.rename(() -> Files.move(tmp, dir.resolve("a"), StandardCopyOption.ATOMIC_MOVE)));
            assertTrue(Files.exists(tmp));
            assertFalse(Files.exists(dir.resolve("a")));
            TemporaryFiles.removeLeft();
            assertFalse(Files.exists(tmp));
            assertTrue(Files.exists(notOurs));
        } finally {
            files.close();
        }
    }

    /** A rename under way when the stop comes ends first: the stop returns only then. */
    @Test
    void theStopWaitsForARenameUnderWay() throws Exception {
        Path tmp = Files.writeString(dir.resolve(".a.tmp"), "whole");
        CountDownLatch renaming = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (TemporaryFiles files = new TemporaryFiles()) {
            TemporaryFiles.Pending p = files.add(tmp);
            CompletableFuture<Void> rename = CompletableFuture.runAsync(() -> {
                try {
                    p.rename(() -> {
                        renaming.countDown();
                        try {
                            finish.await();
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        Files.move(tmp, dir.resolve("a"), StandardCopyOption.ATOMIC_MOVE);
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(renaming.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> stop = CompletableFuture.runAsync(TemporaryFiles::stopAll);
            Thread.sleep(200);
            assertFalse(stop.isDone(), "the stop did not wait for the rename under way");
            finish.countDown();
            stop.get(10, TimeUnit.SECONDS);
            rename.get(10, TimeUnit.SECONDS);
            TemporaryFiles.removeLeft();
            assertEquals("whole", Files.readString(dir.resolve("a")), "a renamed file was removed");
        }
    }
}
