package cairn.store.segment;

import static cairn.store.segment.SegmentFormat.RECORD_HEADER_SIZE;

import cairn.store.chunk.ChunkId;
import cairn.store.codec.Codec;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Appends records to a new segment in a temporary file, then seals it: footer index, trailer,
 * fsync, atomic rename, fsync of the directory. Nothing is fsynced before {@link #seal}; until then
 * the file is an orphan that recovery may adopt ({@link SegmentReader#scan}) or delete.
 *
 * <p>A writer that hit an {@link IOException} once refuses all further use with
 * {@link IllegalStateException}: after a partial write the file's tail is unknown, and appending
 * after it would produce a segment whose index lies. The caller aborts with {@link #close}.
 *
 * <p>The SHA-256 of the whole file ({@link SegmentChecksum}) is computed from the bytes as they are handed
 * to the file, so sealing does not read the segment back to hash it.
 *
 * <p>Not thread-safe: callers synchronize.
 */
public final class SegmentWriter implements Closeable {
    private enum State { OPEN, SEALED, CLOSED }

    private final Path tmpFile;
    private final FileChannel ch;
    private final byte[] recordHeader = new byte[RECORD_HEADER_SIZE];
    private final ByteBuffer recordHeaderBuf = ByteBuffer.wrap(recordHeader);
    private final ByteBuffer[] gather = new ByteBuffer[2];
    /**
     * Small records gather here and go out in one write: a tree of small files would otherwise cost a
     * system call per file. Nothing reads a segment before it is sealed, and sealing writes this out
     * before the footer and the fsync, so holding records back changes nothing a crash could see.
     */
    private final ByteBuffer pending = ByteBuffer.allocateDirect(1 << 20);
    private final List<SegmentEntry> entries = new ArrayList<>();
    /** Every byte written so far, in file order. */
    private final MessageDigest digest = SegmentChecksum.sha256();
    private byte[] sha256;
    private long size;
    private State state = State.OPEN;
    private IOException failure;

    private SegmentWriter(Path tmpFile, FileChannel ch, ByteBuffer header) {
        this.tmpFile = tmpFile;
        this.ch = ch;
        this.size = header.limit();
        digest.update(header.rewind());
    }

    /** Creates {@code tmpFile}, which must not exist, and writes the segment header. */
    public static SegmentWriter create(Path tmpFile, byte[] segmentId16) throws IOException {
        ByteBuffer header = SegmentHeader.encode(segmentId16);
        FileChannel ch = FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            while (header.hasRemaining()) {
                ch.write(header);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            deleteQuietly(tmpFile);
            throw e;
        }
        return new SegmentWriter(tmpFile, ch, header);
    }

    /**
     * Writes one record: header and payload go out in a single gathering write. {@code stored} is the
     * payload as it should sit on disk (already compressed for {@link Codec#ZSTD}).
     */
    public SegmentEntry append(ChunkId id, Codec codec, int rawLength, byte[] stored) throws IOException {
        checkOpen();
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(codec, "codec");
        if (rawLength < 0) {
            throw new IllegalArgumentException("negative raw length " + rawLength);
        }
        if (codec == Codec.RAW && stored.length != rawLength) {
            throw new IllegalArgumentException("raw chunk of " + stored.length + " bytes, raw length " + rawLength);
        }
        int payloadCrc = SegmentFormat.crc32c(stored, 0, stored.length);
        RecordHeader.encode(recordHeader, id, codec, rawLength, stored.length, payloadCrc);
        long want = RECORD_HEADER_SIZE + (long) stored.length;
        digest.update(recordHeader);
        digest.update(stored);
        try {
            if (want > pending.remaining()) {
                flushPending();
            }
            if (want <= pending.remaining()) {
                pending.put(recordHeader).put(stored);
            } else {
                gather[0] = recordHeaderBuf.clear();
                gather[1] = ByteBuffer.wrap(stored);
                for (long done = 0; done < want; ) {
                    done += ch.write(gather);
                }
            }
        } catch (IOException e) {
            throw fail(e);
        } finally {
            gather[1] = null; // do not pin the caller's array until the next append
        }
        SegmentEntry e = new SegmentEntry(id, size, stored.length, rawLength, codec);
        entries.add(e);
        size += want;
        return e;
    }

    /** Writes out the records gathered in {@link #pending}. */
    private void flushPending() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            ch.write(pending);
        }
        pending.clear();
    }

    /** Bytes appended so far: header and records, and after {@link #seal} also the footer. */
    public long size() {
        return size;
    }

    public int chunkCount() {
        return entries.size();
    }

    /** The SHA-256 of the sealed file, as {@link SegmentChecksum#of} would compute it; only after {@link #seal}. */
    public byte[] sha256() {
        if (state != State.SEALED) {
            throw new IllegalStateException("segment " + tmpFile + " is not sealed");
        }
        return sha256.clone();
    }

    /**
     * Writes the footer, checks the file length, fsyncs, renames to {@code finalPath} atomically
     * (refusing to replace an existing file: sealed segments never change) and fsyncs the target
     * directory so the rename itself survives a crash. Afterwards the writer is closed.
     */
    public void seal(Path finalPath) throws IOException {
        checkOpen();
        try {
            flushPending();
            ByteBuffer footer = SegmentFooter.encode(entries, size);
            digest.update(footer.duplicate());
            long expected = size + footer.remaining();
            while (footer.hasRemaining()) {
                ch.write(footer);
            }
            // A short write the JDK did not report would otherwise become durable.
            long actual = ch.size();
            if (actual != expected) {
                throw new IOException("segment " + tmpFile + " is " + actual + " bytes after sealing, expected " + expected);
            }
            ch.force(true);
            ch.close();
            if (Files.exists(finalPath, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(finalPath.toString(), null, "a sealed segment is never replaced");
            }
            Files.move(tmpFile, finalPath, StandardCopyOption.ATOMIC_MOVE);
            Path dir = finalPath.toAbsolutePath().getParent();
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            size = expected;
            sha256 = digest.digest();
        } catch (IOException e) {
            closeQuietly(ch);
            throw fail(e);
        }
        state = State.SEALED;
    }

    /**
     * Without a prior {@link #seal}: aborts, deleting the temporary file. After seal: does nothing.
     * Does not throw: an undeletable tmp file is an orphan that recovery removes later.
     */
    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSED;
        closeQuietly(ch);
        deleteQuietly(tmpFile);
    }

    private void checkOpen() {
        if (failure != null) {
            throw new IllegalStateException("segment writer failed earlier: " + failure, failure);
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("segment writer for " + tmpFile + " is " + state.name().toLowerCase());
        }
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing was promised durable; the caller already has the error that matters.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // An orphan tmp file is harmless: no catalog row names it, and recovery removes it.
        }
    }
}
