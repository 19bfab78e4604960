package io.customerhub.record;

/**
 * A record that failed parsing, cleansing or validation, bound for the quarantine.
 *
 * @param record the record as delivered
 * @param rule   the rule that failed, e.g. {@code parse}, {@code required:fullName}, {@code format:email}
 * @param reason a sentence a data steward can act on
 */
public record Rejection(SourceRecord record, String rule, String reason) {
}
