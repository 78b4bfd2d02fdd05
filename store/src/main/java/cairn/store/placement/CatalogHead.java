package cairn.store.placement;

import cairn.store.catalog.Catalog;
import cairn.store.catalog.CatalogException;
import cairn.store.targets.TargetLayout;
import cairn.store.targets.TargetStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * Which copy of a repository wrote the catalog copy on a target, so that two copies never overwrite
 * each other's snapshots there. {@code recover} makes a second copy with the same repository id (a
 * disaster-recovery drill, or the host that carries on); if both went on pushing, each push would
 * replace the other's catalog copy and a later recover would miss snapshots.
 *
 * <p>Each copy has an {@code instance} id of its own (catalog meta {@code catalog_instance}); a
 * recovered one also remembers the instance and generation it was recovered from ({@code
 * catalog_parent}). The generation is the highest snapshot id. Beside the catalog copy each target
 * holds {@code catalog.head}, placed before it:
 * <pre>
 *   instance 0123456789abcdef0123456789abcdef
 *   generation 42
 *   parent fedcba9876543210fedcba9876543210 40     (or "parent -" for an original)
 * </pre>
 * A push replaces the catalog copy only when the head there is its own, its parent's at no later
 * generation than it was recovered from (the original has not pushed since), or a child's that has
 * no snapshot of its own.
 */
record CatalogHead(String instance, long generation, String parentInstance, long parentGeneration) {
    private static final String INSTANCE_KEY = "catalog_instance";
    private static final String PARENT_KEY = "catalog_parent";

    /** This repository's head, giving it an instance id on its first push. The caller holds the writer lock. */
    static CatalogHead of(Catalog c) throws CatalogException {
        try {
            String instance = c.meta(INSTANCE_KEY);
            if (instance == null) {
                instance = newInstance();
                c.putMeta(INSTANCE_KEY, instance);
            }
            String parent = c.meta(PARENT_KEY);
            String[] p = parent == null ? new String[] {"-", "0"} : parent.split(" ");
            return new CatalogHead(instance, generation(c), p[0], Long.parseLong(p[1]));
        } catch (SQLException | RuntimeException e) {
            throw new CatalogException("cannot read the catalog's instance: " + e.getMessage(), e);
        }
    }

    /** Makes a recovered catalog a copy of its own, descended from the state it was recovered in. */
    static void startRecoveredCopy(Catalog c) throws CatalogException {
        try {
            String was = c.meta(INSTANCE_KEY);
            c.putMeta(PARENT_KEY, (was == null ? "-" : was) + " " + generation(c));
            c.putMeta(INSTANCE_KEY, newInstance());
        } catch (SQLException e) {
            throw new CatalogException("cannot set the recovered catalog's instance: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a push from this head may replace the catalog copy whose head is {@code there} (null:
     * none): its own; its parent's, not moved on since this copy was recovered from it; or that of a
     * copy recovered from this one that has added no snapshot of its own (a recovery drill that only
     * pushed), which this one then loses nothing by replacing.
     */
    boolean mayReplace(CatalogHead there) {
        if (there == null || there.instance.equals(instance)) {
            return true;
        }
        if (there.instance.equals(parentInstance) && there.generation <= parentGeneration) {
            return true;
        }
        return there.parentInstance.equals(instance) && there.generation == there.parentGeneration
                && there.parentGeneration <= generation;
    }

    byte[] bytes() {
        return ("instance " + instance + "\ngeneration " + generation + "\nparent "
                + (parentInstance.equals("-") ? "-" : parentInstance + " " + parentGeneration) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The head on a target, or null when it has none (no push finished there yet, or an older cairn's). */
    static CatalogHead read(TargetStore store) throws IOException {
        byte[] b = TargetDirs.readSmallFile(store, TargetLayout.CATALOG_HEAD);
        if (b == null) {
            return null;
        }
        List<String> l = new String(b, StandardCharsets.UTF_8).lines().toList();
        try {
            String[] parent = l.get(2).substring("parent ".length()).split(" ");
            return new CatalogHead(l.get(0).substring("instance ".length()),
                    Long.parseLong(l.get(1).substring("generation ".length())), parent[0],
                    parent.length > 1 ? Long.parseLong(parent[1]) : 0);
        } catch (RuntimeException e) {
            throw new IOException(store.describe() + " has a " + TargetLayout.CATALOG_HEAD + " that cannot be read: "
                    + "not a cairn target's");
        }
    }

    private static long generation(Catalog c) throws CatalogException {
        return c.maxId("snapshots");
    }

    private static String newInstance() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
