package cairn.store.check;

/** One problem {@code check} found: what is wrong, where, and what it costs. */
public record Finding(Severity severity, String where, String problem) {
    public enum Severity {
        /** Data a snapshot needs is missing or wrong. */
        ERROR,
        /** Nothing is lost, but something is untidy (an unreferenced file, say). */
        WARNING
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + where + ": " + problem;
    }
}
