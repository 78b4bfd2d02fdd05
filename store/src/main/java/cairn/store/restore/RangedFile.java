package cairn.store.restore;

import cairn.store.catalog.ChunkList;
import cairn.store.repo.ChunkReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One large file restored by several tasks at once, each writing its own range of chunks in place
 * (positional writes to one channel), so a big file keeps every core busy instead of one. The task
 * that finishes last completes the file: exact size, metadata, rename into place; or, when any range
 * failed, removes the temporary file. {@link #done} tells the outcome.
 */
final class RangedFile {
    /** What happens to the temporary file once every range is written, or once any failed. */
    interface Completion {
        /** Every range is written and the file closed: give it its metadata and its name. */
        void complete() throws IOException;

        /** A range failed: remove the temporary file. */
        void discard() throws IOException;
    }

    private final ChunkList chunks;
    private final FileChannel channel;
    private final Completion completion;
    private final AtomicInteger remaining;
    private final CompletableFuture<Path> done = new CompletableFuture<>();
    private final Path path;
    private volatile Throwable failure;

    RangedFile(ChunkList chunks, FileChannel channel, Path path, int ranges, Completion completion) {
        this.chunks = chunks;
        this.channel = channel;
        this.path = path;
        this.remaining = new AtomicInteger(ranges);
        this.completion = completion;
    }

    CompletableFuture<Path> done() {
        return done;
    }

    /** Writes chunks [from, to); never throws: a failure is kept for the completion to report. */
    void writeRange(ChunkReader reader, int from, int to) {
        try {
            SparseWriter w = new SparseWriter(channel, path);
            for (int i = from; i < to && failure == null; i++) {
                if (chunks.isHole(i)) {
                    continue; // left unwritten: a hole in the file; finish() makes a trailing one exact
                }
                byte[] data = reader.readOnce(chunks.id(i));
                w.write(chunks.start(i), data, 0, data.length);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            if (remaining.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    /** Ranges that will never run (their tasks could not be queued) count as failed. */
    void abandon(int ranges, Throwable cause) {
        failure = cause;
        for (int i = 0; i < ranges; i++) {
            if (remaining.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    private void finish() {
        try {
            if (failure == null) {
                long size = chunks.size();
                if (channel.size() < size) {
                    // A trailing hole: writing the last byte makes the size exact.
                    try {
                        channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
                    } catch (IOException e) {
                        throw SparseWriter.cannotWrite(path, size - 1, e);
                    }
                }
                channel.close();
                completion.complete();
                done.complete(path);
                return;
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        try {
            channel.close();
            completion.discard();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        done.completeExceptionally(failure);
    }
}
