package cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ReadErrorsTest {
    @Test
    void reasonsArePlainWords() {
        assertEquals("permission denied", ReadErrors.reason(new AccessDeniedException("/x")));
        assertEquals("vanished during backup", ReadErrors.reason(new NoSuchFileException("/x")));
        assertEquals("Input/output error", ReadErrors.reason(new IOException("Input/output error")));
        assertEquals("IOException", ReadErrors.reason(new IOException()));
    }

    @Test
    void errorsFromSeveralThreadsAreAllKeptAndCounted() throws InterruptedException {
        BackupStats stats = new BackupStats();
        ReadErrors errors = new ReadErrors(stats);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    errors.add(("t" + id + "/" + i).getBytes(), "reason");
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(2000, errors.all().size());
        assertEquals(2000, stats.errors());
    }
}
