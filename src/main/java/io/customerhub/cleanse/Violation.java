package io.customerhub.cleanse;

import io.customerhub.record.CanonicalField;

/**
 * One reason a record cannot be accepted: the rule that failed and a sentence a data steward can
 * act on. The rule name ({@code format:email}, {@code required:fullName}) is what quarantine
 * reports group by, so it is stable; the reason is free text.
 *
 * @param field the field the rule is about, or null for rules about the whole record
 */
public record Violation(CanonicalField field, String rule, String reason) {
}
