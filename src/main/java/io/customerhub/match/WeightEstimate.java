package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Match weights learned from the records themselves, without labels, as Fellegi-Sunter implementations such as Splink
 * learn them: per field and comparison level, {@code u} (how often two different customers compare so) from random
 * pairs, {@code m} (how often one customer's two records do) by expectation-maximization over the pairs blocking
 * brings together, and the weight {@code log2(m / u)} in bits, printed beside the configured one. The levels are those
 * {@link RecordComparator} tells apart: birth dates exact, transposed, one typo, within a month, within a year or
 * different; other fields exact, close (a typo, a similar name) or different.
 *
 * @param pairs       the blocked pairs the estimate was made from
 * @param matchShare  the estimated share of them that are one customer
 * @param levels      per field, per level: m, u and the learned and configured weights
 * @param nameShares  per name field (given, family), the share of the records holding each of its common values
 *                    (normalized; those held by at least {@value #COMMON} of the records, from
 *                    {@value #FEW_RECORDS} records on): the term frequencies that lower a common name's agreement
 */
public record WeightEstimate(long pairs, double matchShare, Map<CanonicalField, Map<String, Level>> levels,
                             Map<CanonicalField, Map<String, Double>> nameShares) {

    /** One comparison level of a field. */
    public record Level(double m, double u, double weight, double configured) {
    }

    private static final int ITERATIONS = 25;
    /** The least share of the records a name value must hold to count as common. */
    private static final double COMMON = 0.001;
    /** Fewer records than this tell no name's frequency. */
    private static final int FEW_RECORDS = 1_000;
    /** Blocked pairs looked at, at most: enough for a stable estimate, bounded in time. */
    private static final int MAX_PAIRS = 200_000;
    private static final int RANDOM_PAIRS = 200_000;

    /** A compared pair: per field its level, or null when a value was missing. */
    private record Compared(Map<CanonicalField, String> levels, Map<CanonicalField, Double> configured) {
    }

    /** Estimates the weights of {@code settings}' comparator from {@code records}; {@code seed} fixes the random pairs. */
    public static WeightEstimate of(List<CustomerRecord> records, MatchSettings settings, long seed) {
        RecordComparator comparator = new RecordComparator(settings);
        List<Compared> blocked = blockedPairs(records, settings.maxBlockSize()).stream()
                .map(pair -> compared(comparator.compare(records.get(pair[0]), records.get(pair[1])))).toList();
        Map<CanonicalField, Map<String, Double>> u = shares(randomPairs(records, comparator, seed), null);
        Map<CanonicalField, Map<String, Double>> m = priors(u);
        double lambda = 0.1;
        for (int iteration = 0; iteration < ITERATIONS && !blocked.isEmpty(); iteration++) {
            double[] posterior = new double[blocked.size()];
            double sum = 0;
            for (int i = 0; i < blocked.size(); i++) {
                double bits = Math.log(lambda / (1 - lambda)) / Math.log(2);
                for (Map.Entry<CanonicalField, String> level : blocked.get(i).levels().entrySet()) {
                    bits += log2(m.get(level.getKey()).getOrDefault(level.getValue(), 1e-6)
                            / u.get(level.getKey()).getOrDefault(level.getValue(), 1e-6));
                }
                posterior[i] = 1 / (1 + Math.pow(2, -Math.max(-60, Math.min(60, bits))));
                sum += posterior[i];
            }
            lambda = Math.min(0.999, Math.max(1e-4, sum / blocked.size()));
            m = shares(blocked, posterior);
        }
        Map<CanonicalField, Map<String, Double>> configured = configuredWeights(blocked);
        Map<CanonicalField, Map<String, Level>> levels = new EnumMap<>(CanonicalField.class);
        for (Map.Entry<CanonicalField, Map<String, Double>> field : u.entrySet()) {
            Map<String, Level> byLevel = new LinkedHashMap<>();
            for (String level : order(field.getValue().keySet())) {
                double mValue = m.getOrDefault(field.getKey(), Map.of()).getOrDefault(level, 1e-6);
                double uValue = field.getValue().get(level);
                byLevel.put(level, new Level(mValue, uValue, log2(mValue / uValue),
                        configured.getOrDefault(field.getKey(), Map.of()).getOrDefault(level, Double.NaN)));
            }
            levels.put(field.getKey(), byLevel);
        }
        return new WeightEstimate(blocked.size(), lambda, levels, nameShares(records));
    }

    /** The shares of the common given and family names of {@code records}; none for fewer than {@value #FEW_RECORDS}. */
    private static Map<CanonicalField, Map<String, Double>> nameShares(List<CustomerRecord> records) {
        Map<CanonicalField, Map<String, Double>> shares = new EnumMap<>(CanonicalField.class);
        if (records.size() < FEW_RECORDS) {
            return shares;
        }
        Map<String, Integer> given = new HashMap<>();
        Map<String, Integer> family = new HashMap<>();
        for (CustomerRecord record : records) {
            count(given, record.givenName());
            count(family, RecordComparator.familyOrLoneName(record));
        }
        shares.put(CanonicalField.GIVEN_NAME, common(given, records.size()));
        shares.put(CanonicalField.FAMILY_NAME, common(family, records.size()));
        return shares;
    }

    private static void count(Map<String, Integer> counts, String name) {
        String normalized = Similarity.normalize(name);
        if (normalized != null && !normalized.isEmpty()) {
            counts.merge(normalized, 1, Integer::sum);
        }
    }

    private static Map<String, Double> common(Map<String, Integer> counts, int records) {
        Map<String, Double> common = new HashMap<>();
        counts.forEach((name, count) -> {
            if (count >= COMMON * records) {
                common.put(name, (double) count / records);
            }
        });
        return common;
    }

    /**
     * The agreement and disagreement weights learned per field: the bits of its {@code exact} and its {@code different}
     * level, for the fields the estimate saw at both; what {@code hub.match.weights = learned} matches with.
     */
    public Map<CanonicalField, MatchSettings.Weights> weights() {
        Map<CanonicalField, MatchSettings.Weights> weights = new EnumMap<>(CanonicalField.class);
        levels.forEach((field, byLevel) -> {
            if (byLevel.containsKey("exact") && byLevel.containsKey("different")) {
                weights.put(field, new MatchSettings.Weights(byLevel.get("exact").weight(), byLevel.get("different").weight()));
            }
        });
        return weights;
    }

    /** The estimate as a table: field, level, m, u, learned and configured bits; then the commonest names. */
    public String table() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "weights learned from %,d blocked pairs (an estimated %.1f%% of them one customer)%n", pairs, matchShare * 100));
        text.append(String.format(Locale.ROOT, "%-12s %-16s %8s %9s %8s %10s%n", "field", "level", "m", "u", "bits", "configured"));
        levels.forEach((field, byLevel) -> byLevel.forEach((level, l) -> text.append(String.format(Locale.ROOT,
                "%-12s %-16s %8.4f %9.6f %8.1f %10.1f%n", field.key(), level, l.m(), l.u(), l.weight(), l.configured()))));
        nameShares.forEach((field, shares) -> {
            text.append(String.format(Locale.ROOT, "%s: %,d common values; the commonest:", field.key(), shares.size()));
            shares.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                    .forEach(share -> text.append(String.format(Locale.ROOT, " %s %.2f%%", share.getKey(), share.getValue() * 100)));
            text.append(System.lineSeparator());
        });
        return text.toString();
    }

    /** The pairs of records sharing a blocking key whose block is small enough to be searched, each once. */
    private static List<int[]> blockedPairs(List<CustomerRecord> records, int maxBlockSize) {
        Map<Long, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (long key : RecordMatcher.keys(records.get(i))) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>(2)).add(i);
            }
        }
        Set<Long> seen = new HashSet<>();
        List<int[]> pairs = new ArrayList<>();
        for (List<Integer> block : blocks.values()) {
            if (block.size() < 2 || block.size() > maxBlockSize) {
                continue;
            }
            for (int a = 0; a < block.size() && pairs.size() < MAX_PAIRS; a++) {
                for (int b = a + 1; b < block.size() && pairs.size() < MAX_PAIRS; b++) {
                    int x = block.get(a);
                    int y = block.get(b);
                    if (seen.add((long) Math.min(x, y) * records.size() + Math.max(x, y))) {
                        pairs.add(new int[] {x, y});
                    }
                }
            }
        }
        return pairs;
    }

    private static List<Compared> randomPairs(List<CustomerRecord> records, RecordComparator comparator, long seed) {
        List<Compared> pairs = new ArrayList<>();
        if (records.size() < 2) {
            return pairs;
        }
        Random random = new Random(seed);
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            int a = random.nextInt(records.size());
            int b = random.nextInt(records.size() - 1);
            pairs.add(compared(comparator.compare(records.get(a), records.get(b >= a ? b + 1 : b))));
        }
        return pairs;
    }

    private static Compared compared(MatchScore score) {
        Map<CanonicalField, String> levels = new EnumMap<>(CanonicalField.class);
        Map<CanonicalField, Double> weights = new EnumMap<>(CanonicalField.class);
        for (FieldComparison field : score.fields()) {
            if (field.left() != null && field.right() != null && !levels.containsKey(field.field())) {
                levels.put(field.field(), level(field));
                weights.put(field.field(), field.weight());
            }
        }
        return new Compared(levels, weights);
    }

    /** The comparison level of a field compared on both sides. */
    static String level(FieldComparison field) {
        double s = field.similarity();
        if (s >= 1) {
            return "exact";
        }
        if (field.field() == CanonicalField.BIRTH_DATE) {
            return s >= 0.8 ? "transposed" : s >= 0.7 ? "one typo" : s >= 0.55 ? "within a month" : s >= 0.4 ? "within a year"
                    : "different";
        }
        return s > 0 && field.weight() > 0 ? "close" : "different";
    }

    /** Per field, the (weighted) share of pairs at each level, among the pairs where the field was compared. */
    private static Map<CanonicalField, Map<String, Double>> shares(List<Compared> pairs, double[] weights) {
        Map<CanonicalField, Map<String, Double>> counts = new EnumMap<>(CanonicalField.class);
        for (int i = 0; i < pairs.size(); i++) {
            double weight = weights == null ? 1 : weights[i];
            pairs.get(i).levels().forEach((field, level) ->
                    counts.computeIfAbsent(field, f -> new HashMap<>()).merge(level, weight, Double::sum));
        }
        counts.values().forEach(byLevel -> {
            // one pseudo-count per level, so that a level never seen is rare rather than impossible
            double total = byLevel.values().stream().mapToDouble(Double::doubleValue).sum() + byLevel.size();
            byLevel.replaceAll((level, count) -> (count + 1) / total);
        });
        return counts;
    }

    /** Where the expectation-maximization starts: a customer's two records mostly agree. */
    private static Map<CanonicalField, Map<String, Double>> priors(Map<CanonicalField, Map<String, Double>> u) {
        Map<CanonicalField, Map<String, Double>> m = new EnumMap<>(CanonicalField.class);
        u.forEach((field, byLevel) -> {
            Map<String, Double> prior = new HashMap<>();
            byLevel.keySet().forEach(level -> prior.put(level, level.equals("exact") ? 0.9 : 0.1 / Math.max(1, byLevel.size() - 1)));
            m.put(field, prior);
        });
        return m;
    }

    /** The weight the configured comparator gave each level (its mean over the pairs at that level). */
    private static Map<CanonicalField, Map<String, Double>> configuredWeights(List<Compared> pairs) {
        Map<CanonicalField, Map<String, double[]>> sums = new EnumMap<>(CanonicalField.class);
        for (Compared pair : pairs) {
            pair.levels().forEach((field, level) -> {
                double[] sum = sums.computeIfAbsent(field, f -> new HashMap<>()).computeIfAbsent(level, l -> new double[2]);
                sum[0] += pair.configured().get(field);
                sum[1]++;
            });
        }
        Map<CanonicalField, Map<String, Double>> means = new EnumMap<>(CanonicalField.class);
        sums.forEach((field, byLevel) -> {
            Map<String, Double> mean = new HashMap<>();
            byLevel.forEach((level, sum) -> mean.put(level, sum[0] / sum[1]));
            means.put(field, mean);
        });
        return means;
    }

    private static List<String> order(Set<String> levels) {
        List<String> known = List.of("exact", "transposed", "one typo", "close", "within a month", "within a year", "different");
        return known.stream().filter(levels::contains).toList();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
