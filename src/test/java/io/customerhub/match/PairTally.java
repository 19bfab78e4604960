package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pairs a matching test found decided wrongly (true pairs left apart, false pairs merged), by cause, with how each
 * field compared ({@code =} equal, {@code ~} close enough to earn weight, {@code ≠} other, {@code ∅} missing on either
 * side) and a few examples: what a developer reads to see which keys or comparisons are missing.
 */
final class PairTally {

    private static final int EXAMPLES = 4;
    private static final int PATTERNS = 8;

    private final String title;
    private final MatchSettings settings;
    private final List<CanonicalField> shown;
    private final Map<String, Integer> causes = new TreeMap<>();
    private final Map<String, Map<String, Integer>> patterns = new TreeMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();
    private final Set<String> shownRecords = new HashSet<>();
    private int total;

    PairTally(String title, MatchSettings settings, List<CanonicalField> shown) {
        this.title = title;
        this.settings = settings;
        this.shown = shown;
    }

    /**
     * A pair decided wrongly, its records by key and as described to the reader; a null cause means a true pair that
     * was compared, and the score says how it fell short.
     */
    void add(String cause, String keyA, String a, String keyB, String b, MatchScore score) {
        if (cause == null) {
            cause = switch (settings.decide(score)) {
                case MERGE -> "compared, scored MERGE, left apart anyway";
                case REVIEW -> "compared, scored REVIEW (lower to upper threshold)";
                case NEW -> "compared, scored below the lower threshold";
            };
        }
        total++;
        causes.merge(cause, 1, Integer::sum);
        patterns.computeIfAbsent(cause, k -> new HashMap<>()).merge(pattern(score), 1, Integer::sum);
        List<String> list = examples.computeIfAbsent(cause, k -> new ArrayList<>());
        // one example per record: a third record of one customer would show the same miss twice
        if (list.size() < EXAMPLES && shownRecords.add(cause + "/" + keyA) & shownRecords.add(cause + "/" + keyB)) {
            list.add(String.format(Locale.ROOT, "%s%n        %s%n        score %.1f %s: %s", a, b, score.score(), score.rule(),
                    weights(score)));
        }
    }

    int total() {
        return total;
    }

    private String pattern(MatchScore score) {
        StringBuilder text = new StringBuilder();
        for (CanonicalField field : shown) {
            FieldComparison f = score.fields().stream().filter(c -> c.field() == field).findFirst().orElse(null);
            if (f == null) {
                continue;
            }
            String state = f.left() == null || f.right() == null ? "∅" : f.similarity() >= 1.0 ? "=" : f.weight() > 0 ? "~" : "≠";
            text.append(text.isEmpty() ? "" : " ").append(field.key()).append(state);
        }
        return score.rule().contains("swapped") ? text + " (names crosswise)" : text.toString();
    }

    private static String weights(MatchScore score) {
        StringBuilder text = new StringBuilder();
        for (FieldComparison f : score.fields()) {
            if (f.left() != null && f.right() != null) {
                text.append(String.format(Locale.ROOT, "%s %+.1f ", f.field().key(), f.weight()));
            }
        }
        return text.toString().trim();
    }

    /** The tally, its title line followed by {@code detail}. */
    String report(String detail) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "  %s: %,d%s%n", title, total, detail));
        for (Map.Entry<String, Integer> cause : causes.entrySet()) {
            text.append(String.format(Locale.ROOT, "  %,6d (%4.1f%%) %s%n", cause.getValue(), 100.0 * cause.getValue() / total,
                    cause.getKey()));
            patterns.get(cause.getKey()).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(PATTERNS)
                    .forEach(p -> text.append(String.format(Locale.ROOT, "         %,6d  %s%n", p.getValue(), p.getKey())));
            for (String example : examples.get(cause.getKey())) {
                text.append("      e.g. ").append(example).append('\n');
            }
        }
        return text.toString();
    }
}
