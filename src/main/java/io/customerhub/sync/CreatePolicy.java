package io.customerhub.sync;

/**
 * How a sync target gets customers it does not hold yet: the {@code create} option of the sync templates, written in
 * kebab case ({@code golden-id}, {@code target-assigned}, {@code never}).
 */
public enum CreatePolicy {
    /** A new record keyed by the golden id (the target's key column must hold 36 characters). */
    GOLDEN_ID,
    /** A new record whose key the target assigns (a generated column, the id of an HTTP 201 answer): it joins the golden record. */
    TARGET_ASSIGNED,
    /** None: the target only gets changes of customers it holds; the others' changes are skipped. */
    NEVER
}
