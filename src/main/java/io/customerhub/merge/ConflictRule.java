package io.customerhub.merge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens when a source that does not own a field group brings a value that differs from
 * the owner's ({@code hub.merge.conflict.<group>}).
 */
public enum ConflictRule {
    /** The owner's value stays; the other is recorded and overwritten in its system by the next sync. */
    OWNER_WINS("owner-wins"),
    /** The more recent of the two values wins, whoever brought it. */
    NEWEST_WINS("newest-wins"),
    /** The golden record keeps the value it has until a data steward decides (or the owner changes it). */
    HOLD("hold");

    private final String key;

    ConflictRule(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ConflictRule of(String key) {
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(rule -> rule.key.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown conflict rule '" + key + "'; expected one of "
                        + Arrays.stream(values()).map(ConflictRule::key).collect(Collectors.joining(", "))));
    }
}
