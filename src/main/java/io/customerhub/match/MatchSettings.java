package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The knobs of matching ({@code hub.match.*}): the two thresholds that turn a score into a
 * decision, the agreement and disagreement weight of each compared field, and the largest
 * blocking group still searched.
 *
 * <p>Weights are in bits, Fellegi-Sunter style: {@code agree = log2(m/u)} and
 * {@code disagree = log2((1-m)/(1-u))}, where m is the probability that the field agrees for the
 * same person and u that it agrees by chance for two different people. The defaults are such
 * estimates for person data in general (m about 0.9 for names, dates and codes; u from how many
 * values a field has: a birth date 1 in 20,000, a postal code 1 in 1,000, a state 1 in 5), not
 * fitted to one data set. Partial agreement (a typo) earns a weight between the two.
 *
 * @param upper        score at or above which a pair is merged automatically; 20 bits means
 *                     about a million to one for "same person" before the prior, which
 *                     requires two strong fields (names and birth date, or names and full
 *                     address) and tolerates no strong contradiction
 * @param lower        score at or above which a pair goes to review
 * @param weights      per compared field
 * @param addressCap   the most that street, district, city, postal code, province and country
 *                     earn together: they agree together for a whole household, so they are one
 *                     piece of evidence, worth about a national id's agreement less a few bits
 * @param maxBlockSize a blocking key shared by more records than this is too common to be
 *                     evidence (a placeholder e-mail, a family name and date of a mass import)
 *                     and is no longer searched, which bounds comparisons per record
 * @param origin       where the weights come from: {@code configured}, or the learned version in force
 *                     ({@link #learned}), as {@code explain} shows it
 * @param nameShares   per name field, the share of records holding each common value (normalized), learned with
 *                     the weights: the agreement on a common name weighs less (term-frequency adjustment); empty
 *                     with the configured weights, where only the Chinese family names' census shares apply
 */
public record MatchSettings(double upper, double lower, Map<CanonicalField, Weights> weights, double addressCap, int maxBlockSize,
                            String origin, Map<CanonicalField, Map<String, Double>> nameShares) {

    /** The weight of full agreement and of full disagreement of one field, in bits. */
    public record Weights(double agree, double disagree) {
    }

    public MatchSettings {
        if (lower > upper) {
            throw new IllegalArgumentException("hub.match.lower-threshold " + lower + " is above hub.match.upper-threshold " + upper);
        }
        if (maxBlockSize < 1) {
            throw new IllegalArgumentException("hub.match.max-block-size must be at least 1 but was " + maxBlockSize);
        }
        weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        nameShares = Map.copyOf(nameShares);
    }

    /** Settings whose weights are the configured ones. */
    public MatchSettings(double upper, double lower, Map<CanonicalField, Weights> weights, double addressCap, int maxBlockSize) {
        this(upper, lower, weights, addressCap, maxBlockSize, "configured", Map.of());
    }

    /**
     * These settings with the weights {@code learned} from the data ({@link WeightEstimate#weights()}) in place of the
     * configured ones, except for the fields in {@code configured}, whose weights an operator set and which stay: the
     * configured weights are the priors of the fields the estimate did not see, and overrides where set. {@code shares}
     * are the common names' shares learned with them ({@link #nameShares}).
     */
    public MatchSettings learned(Map<CanonicalField, Weights> learned, Map<CanonicalField, Map<String, Double>> shares,
                                 Set<CanonicalField> configured, String origin) {
        Map<CanonicalField, Weights> merged = new EnumMap<>(weights);
        learned.forEach((field, learnedWeights) -> {
            if (!configured.contains(field)) {
                merged.put(field, learnedWeights);
            }
        });
        return new MatchSettings(upper, lower, merged, addressCap, maxBlockSize, origin, shares);
    }

    /** The fields whose weights {@code settings} (keys without their {@code hub.match.} prefix) set. */
    public static Set<CanonicalField> weighted(Map<String, String> settings) {
        Set<CanonicalField> fields = EnumSet.noneOf(CanonicalField.class);
        settings.keySet().stream().filter(key -> key.startsWith("weight."))
                .forEach(key -> fields.add(CanonicalField.of(key.split("\\.")[1])));
        return fields;
    }

    public static MatchSettings defaults() {
        Map<CanonicalField, Weights> weights = new EnumMap<>(CanonicalField.class);
        weights.put(CanonicalField.FULL_NAME, new Weights(14, -6));
        weights.put(CanonicalField.GIVEN_NAME, new Weights(6, -3));
        weights.put(CanonicalField.FAMILY_NAME, new Weights(8, -3));
        weights.put(CanonicalField.BIRTH_DATE, new Weights(12, -8));
        weights.put(CanonicalField.GENDER, new Weights(1, -4));
        weights.put(CanonicalField.EMAIL, new Weights(14, -1));
        weights.put(CanonicalField.PHONE, new Weights(12, -1));
        weights.put(CanonicalField.NATIONAL_ID, new Weights(16, -3));
        weights.put(CanonicalField.STREET, new Weights(9, -2));
        weights.put(CanonicalField.DISTRICT, new Weights(3, -1));
        weights.put(CanonicalField.CITY, new Weights(5, -2));
        weights.put(CanonicalField.POSTAL_CODE, new Weights(7, -2));
        weights.put(CanonicalField.PROVINCE, new Weights(2, -2));
        weights.put(CanonicalField.COUNTRY, new Weights(0.5, -3));
        weights.put(CanonicalField.COMPANY, new Weights(2, 0));
        return new MatchSettings(20, 10, weights, 12, 200);
    }

    /**
     * Settings from configuration keys without their {@code hub.match.} prefix:
     * {@code upper-threshold}, {@code lower-threshold}, {@code address-cap}, {@code max-block-size} and
     * {@code weight.<field>.agree} / {@code weight.<field>.disagree} with a canonical field key
     * ({@code weight.postalCode.agree=5}). Missing keys keep the defaults; an unknown key or a
     * bad number fails with the key named.
     */
    public static MatchSettings from(Map<String, String> settings) {
        MatchSettings defaults = defaults();
        double upper = defaults.upper();
        double lower = defaults.lower();
        int maxBlockSize = defaults.maxBlockSize();
        double addressCap = defaults.addressCap();
        Map<CanonicalField, Weights> weights = new EnumMap<>(defaults.weights());
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            switch (key) {
                case "upper-threshold" -> upper = number(key, value);
                case "lower-threshold" -> lower = number(key, value);
                case "max-block-size" -> maxBlockSize = (int) number(key, value);
                case "address-cap" -> addressCap = number(key, value);
                default -> {
                    String[] parts = key.split("\\.");
                    if (parts.length != 3 || !parts[0].equals("weight") || !(parts[2].equals("agree") || parts[2].equals("disagree"))) {
                        throw new IllegalArgumentException("unknown setting 'hub.match." + key + "'; expected upper-threshold, "
                                + "lower-threshold, address-cap, max-block-size or weight.<field>.agree|disagree");
                    }
                    CanonicalField field;
                    try {
                        field = CanonicalField.of(parts[1]);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("setting 'hub.match." + key + "': " + e.getMessage(), e);
                    }
                    Weights old = weights.getOrDefault(field, new Weights(0, 0));
                    double weight = number(key, value);
                    weights.put(field, parts[2].equals("agree") ? new Weights(weight, old.disagree()) : new Weights(old.agree(), weight));
                }
            }
        }
        return new MatchSettings(upper, lower, weights, addressCap, maxBlockSize);
    }

    /** The share of records holding name {@code value} (normalized) in {@code field}, as learned; 0 when not common. */
    public double nameShare(CanonicalField field, String value) {
        return nameShares.getOrDefault(field, Map.of()).getOrDefault(value, 0.0);
    }

    /** The weights of {@code field}; zero for a field not weighted, so it is ignored. */
    public Weights weights(CanonicalField field) {
        return weights.getOrDefault(field, new Weights(0, 0));
    }

    /** MERGE at or above the upper threshold, REVIEW at or above the lower, else NEW. */
    public MatchDecision decide(MatchScore score) {
        if (score.score() >= upper) {
            return MatchDecision.MERGE;
        }
        return score.score() >= lower ? MatchDecision.REVIEW : MatchDecision.NEW;
    }

    private static double number(String key, String value) {
        try {
            double number = Double.parseDouble(value == null ? "" : value.trim());
            if (!Double.isFinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting 'hub.match." + key + "' is '" + value + "'; expected a number");
        }
    }
}
