package io.customerhub.match;

import java.util.List;

/**
 * The outcome of comparing two records, complete enough to explain the decision later.
 *
 * @param score  the sum of the field weights in bits (log2 of the likelihood ratio of "same
 *               person" over "different people"), raised to the upper threshold when a
 *               deterministic rule fired
 * @param rule   {@code weighted}, or the deterministic rule that fired: {@code exact:email},
 *               {@code exact:phone}, {@code exact:nationalId}; {@code +swapped-names} is appended
 *               when given and family name were compared crosswise
 * @param fields every field comparison made, in a fixed order
 */
public record MatchScore(double score, String rule, List<FieldComparison> fields) {

    public MatchScore {
        fields = List.copyOf(fields);
    }
}
