package io.customerhub.match;

/** What to do with a candidate pair. */
public enum MatchDecision {
    /** Score at or above the upper threshold: the same person, merge automatically. */
    MERGE,
    /** Score between the thresholds: a data steward decides. */
    REVIEW,
    /** Score below the lower threshold: different people. */
    NEW
}
