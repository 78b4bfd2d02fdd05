package cairn.ingest.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The data of a gzip file (RFC 1952), every member in turn, where every byte of the file must belong
 * to a whole member. The JDK's GZIPInputStream ends quietly at anything after a member that does not
 * start as one: a second member cut short or damaged at its start, so an image imported from it lost
 * its second half and the snapshot still said complete. Here a member cut short, a bad header, a
 * checksum or length that does not match, or bytes after the last member that are not a member fail
 * with what and where.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufLen;
    /** Bytes of the file taken into buf so far, for where a problem is. */
    private long fileOffset;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private int member;
    private boolean done;

    /** Reads the first member's header at once, so a file that is not gzip fails here. */
    StrictGzipInputStream(InputStream in) throws IOException {
        this.in = in;
        readHeader();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("member " + member + " is damaged near byte " + position() + ": "
                        + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsInput()) {
                if (bufPos == bufLen && !fill()) {
                    throw new EOFException("member " + member + " ends early, at byte " + position());
                }
                inflater.setInput(buf, bufPos, bufLen - bufPos);
                bufPos = bufLen;
            } else {
                throw new ZipException("member " + member + " needs a preset dictionary, which gzip never has");
            }
        }
        return -1;
    }

    /** After a member's data: its trailer, then the next member's header or the end of the file. */
    private void endMember() throws IOException {
        int left = inflater.getRemaining();
        bufPos -= left; // the inflater's unread input is the trailer and what follows
        long wantCrc = readInt();
        long wantSize = readInt();
        if (wantCrc != crc.getValue()) {
            throw new ZipException("member " + member + " fails its CRC-32 check");
        }
        if (wantSize != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
            throw new ZipException("member " + member + " has " + inflater.getBytesWritten() + " bytes, its trailer says "
                    + wantSize);
        }
        if (atEndOrZeros()) {
            done = true;
            return;
        }
        inflater.reset();
        crc.reset();
        readHeader();
    }

    /**
     * Whether the file ends here, or has only zero bytes left: padding to a tape or disk block, which
     * gzip itself ignores too. Anything else must be the next member.
     */
    private boolean atEndOrZeros() throws IOException {
        boolean zeros = false;
        while (true) {
            while (bufPos < bufLen) {
                if (buf[bufPos] != 0) {
                    if (zeros) {
                        throw new ZipException("bytes after member " + member + " (at byte " + position()
                                + ") are neither padding nor a gzip member");
                    }
                    return false;
                }
                zeros = true;
                bufPos++;
            }
            if (!fill()) {
                return true;
            }
        }
    }

    private void readHeader() throws IOException {
        member++;
        long start = position();
        if (readByte() != 0x1f || readByte() != 0x8b) {
            throw new ZipException(member == 1 ? "not in gzip format"
                    : "bytes after member " + (member - 1) + " (from byte " + start + ") are not a gzip member");
        }
        if (readByte() != 8) {
            throw new ZipException("member " + member + " uses a compression method other than deflate");
        }
        int flags = readByte();
        for (int i = 0; i < 6; i++) {
            readByte(); // mtime, extra flags, OS
        }
        if ((flags & FEXTRA) != 0) {
            int n = readByte() | readByte() << 8;
            for (int i = 0; i < n; i++) {
                readByte();
            }
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            readByte();
            readByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (readByte() != 0) {
            // a name or comment, not needed
        }
    }

    private long readInt() throws IOException {
        return readByte() | readByte() << 8 | readByte() << 16 | (long) readByte() << 24;
    }

    private int readByte() throws IOException {
        if (bufPos == bufLen && !fill()) {
            throw new EOFException("member " + member + " ends early, at byte " + position());
        }
        return buf[bufPos++] & 0xFF;
    }

    /** Refills the buffer once what it held is used; false at the end of the file. */
    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        fileOffset += bufLen;
        bufPos = 0;
        bufLen = n;
        return true;
    }

    /** The file offset of the next byte not yet taken from the buffer (or given to the inflater). */
    private long position() {
        return fileOffset + bufPos - (inflater.needsInput() ? 0 : inflater.getRemaining());
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
