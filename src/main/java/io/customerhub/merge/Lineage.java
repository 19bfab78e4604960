package io.customerhub.merge;

import java.time.Instant;

/**
 * Where a golden value came from: the source record that supplied it, when that record's value
 * was current (the source's own change time, or when the hub stored it), and the rule that chose it.
 */
public record Lineage(String source, String sourceKey, Instant at, SurvivorshipRule rule) {
}
