package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.segment.SegmentChecksum;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The copy of the catalog each target receives after a push ({@code catalog.db.zst}): a consistent
 * snapshot taken with {@code VACUUM INTO} (also compacted), compressed with zstd. With it and the
 * target's segments, {@code recover} rebuilds the repository from that target alone.
 */
record CatalogCopy(Path file, long size, byte[] sha256) implements AutoCloseable {
    // SQLite pages compress about as well at 3 as at 9, at a fraction of the time.
    static final int ZSTD_LEVEL = 3;

    static CatalogCopy make(Catalog catalog, Path tmpDir) throws IOException {
        Path db = tmpDir.resolve("catalog-copy.db");
        Path zst = tmpDir.resolve("catalog-copy.db.zst");
        Files.deleteIfExists(db);
        Files.deleteIfExists(zst);
        try {
            synchronized (catalog) {
                catalog.copyTo(db);
            }
            try (InputStream in = Files.newInputStream(db);
                 OutputStream out = new ZstdOutputStream(Files.newOutputStream(zst), ZSTD_LEVEL)) {
                in.transferTo(out);
            }
        } finally {
            Files.deleteIfExists(db);
        }
        return new CatalogCopy(zst, Files.size(zst), SegmentChecksum.of(zst));
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
