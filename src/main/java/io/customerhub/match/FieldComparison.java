package io.customerhub.match;

import io.customerhub.record.CanonicalField;

/**
 * How one field of two records compared: the values as compared (after normalization; for
 * swapped names the given name of one record faces the family name of the other), their
 * similarity in [0, 1] and the weight in bits this added to the match score. A value missing on
 * either side has similarity 0 and weight 0: absence is no evidence either way.
 */
public record FieldComparison(CanonicalField field, String left, String right, double similarity, double weight) {
}
