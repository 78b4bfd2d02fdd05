package cairn.store.catalog;

import java.io.IOException;

/** The catalog cannot be opened or read: missing, corrupt, or of an unsupported version. */
public class CatalogException extends IOException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
