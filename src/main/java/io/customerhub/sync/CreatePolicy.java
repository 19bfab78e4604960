package io.customerhub.sync;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a sync target gets customers it does not hold yet (the {@code create} parameter of the sync templates). */
public enum CreatePolicy {
    /** A new record keyed by the golden id (the target's key column must hold 36 characters). */
    GOLDEN_ID("golden-id"),
    /** A new record whose key the target assigns (a generated column, the id of an HTTP 201 answer): it joins the golden record. */
    TARGET_ASSIGNED("target-assigned"),
    /** None: the target only gets changes of customers it holds; the others' changes are skipped. */
    NEVER("never");

    private final String key;

    CreatePolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The policy named {@code key}, or an exception naming the valid ones. */
    public static CreatePolicy of(String key) {
        String wanted = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(policy -> policy.key.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("create: '" + key + "' is not one of "
                        + Arrays.stream(values()).map(CreatePolicy::key).collect(Collectors.joining(", "))));
    }
}
