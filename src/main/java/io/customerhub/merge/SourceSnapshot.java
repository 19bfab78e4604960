package io.customerhub.merge;

import io.customerhub.record.CustomerRecord;
import java.time.Instant;

/**
 * One source record of a golden record as survivorship sees it: its cleansed values and when they
 * were current (the source's change time, or when the hub stored them if the source gives none).
 */
public record SourceSnapshot(CustomerRecord values, Instant at) {
}
