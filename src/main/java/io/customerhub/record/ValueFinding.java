package io.customerhub.record;

/**
 * A value left out of a stored record because it could not be read (an impossible date, a malformed e-mail): the
 * record is stored without it and the finding is kept for data stewards ({@code value_finding}).
 *
 * @param field  the canonical field, e.g. {@code birthDate}
 * @param rule   the rule the value failed, e.g. {@code format:birthDate}
 * @param reason what is wrong, in a sentence a data steward can act on
 */
public record ValueFinding(String field, String rule, String reason) {
}
