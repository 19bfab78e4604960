package io.customerhub.record;

/**
 * What became of one {@link OutboundChange} a sync writer was given.
 *
 * @param error       null when written, otherwise why not
 * @param final_      for an error: true when writing it again cannot help (a key the target cannot hold, a
 *                    create the target does not take), so it is not retried; false when it is retried with back-off
 * @param assignedKey for a record the write created: the key the target gave it, when the target assigns keys
 *                    (null when the record is keyed by the golden id)
 */
public record WriteOutcome(String error, boolean final_, String assignedKey) {

    public static final WriteOutcome WRITTEN = new WriteOutcome(null, false, null);

    /** Written, as a new record the target keyed {@code key}. */
    public static WriteOutcome created(String key) {
        return new WriteOutcome(null, false, key);
    }

    /** Not written this time; retried with back-off. */
    public static WriteOutcome failed(String reason) {
        return new WriteOutcome(reason, false, null);
    }

    /** Not written, and writing it again cannot help: not retried. */
    public static WriteOutcome refused(String reason) {
        return new WriteOutcome(reason, true, null);
    }

    /** {@link #WRITTEN} for null, else {@link #failed}: the outcome of a writer that reports errors only. */
    public static WriteOutcome of(String error) {
        return error == null ? WRITTEN : failed(error);
    }

    public boolean written() {
        return error == null;
    }
}
