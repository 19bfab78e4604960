package io.customerhub.merge;

import java.util.Arrays;
import java.util.Locale;

/** How a golden record picks the value of a {@link FieldGroup} among its source records. */
public enum SurvivorshipRule {
    /** The value of the highest source in {@code hub.merge.source-priority}; unlisted sources rank last. */
    SOURCE_PRIORITY,
    /** The value of the record its source changed last (or the hub stored last, when the source gives no time). */
    MOST_RECENT,
    /** The value with the most known parts (an address with a postal code over one without), then the longest. */
    MOST_COMPLETE,
    /** The value most source records hold. */
    MOST_FREQUENT;

    /** The name in settings and lineage, e.g. {@code source-priority}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SurvivorshipRule of(String key) {
        return Arrays.stream(values()).filter(rule -> rule.key().equals(key.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown survivorship rule '" + key + "'; expected one of "
                        + String.join(", ", Arrays.stream(values()).map(SurvivorshipRule::key).toList())));
    }
}
