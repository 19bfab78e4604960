package io.customerhub.match;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The string similarities matching is built on, each in [0, 1] (1 = equal): Jaro-Winkler for
 * short strings with typos (names), a Damerau edit similarity for codes (postal codes, ids, dates
 * as digits) and a token similarity for multi-word values (streets, multi-part names) whose words
 * may be missing or reordered. Inputs are compared after {@link #normalize}, so case, accents and
 * punctuation never count as differences.
 */
public final class Similarity {

    private Similarity() {
    }

    /**
     * Lower case, accents removed, every run of characters that are neither letters nor digits
     * turned into one space, trimmed; null for null or for a value with nothing left.
     */
    public static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean space = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (Character.isLetterOrDigit(cp)) {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                space = false;
                out.appendCodePoint(Character.toLowerCase(cp));
            } else {
                space = true;
            }
        }
        return out.length() == 0 ? null : out.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Characters of a value that the similarities look at: the longest name, street or e-mail compares whole, and a
     * value that is longer (with the length limits lifted) costs no more than this, as the measures are quadratic.
     */
    static final int COMPARED_LENGTH = 200;

    private static String compared(String value) {
        return value.length() <= COMPARED_LENGTH ? value : value.substring(0, COMPARED_LENGTH);
    }

    /** Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4 code units) of the first {@value #COMPARED_LENGTH} characters. */
    public static double jaroWinkler(String a, String b) {
        a = compared(a);
        b = compared(b);
        if (a.equals(b)) {
            return 1.0;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return 0.0;
        }
        int window = Math.max(0, Math.max(a.length(), b.length()) / 2 - 1);
        boolean[] matchedA = new boolean[a.length()];
        boolean[] matchedB = new boolean[b.length()];
        int matches = 0;
        for (int i = 0; i < a.length(); i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(b.length() - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!matchedB[j] && a.charAt(i) == b.charAt(j)) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int transpositions = 0;
        for (int i = 0, j = 0; i < a.length(); i++) {
            if (matchedA[i]) {
                while (!matchedB[j]) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    transpositions++;
                }
                j++;
            }
        }
        double m = matches;
        double jaro = (m / a.length() + m / b.length() + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        while (prefix < Math.min(4, Math.min(a.length(), b.length())) && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1.0 - jaro);
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of adjacent characters
     * as one edit each (optimal string alignment), over code points so that Chinese characters
     * outside the BMP count once; of the first {@value #COMPARED_LENGTH} characters.
     */
    public static int editDistance(String a, String b) {
        int[] x = compared(a).codePoints().toArray();
        int[] y = compared(b).codePoints().toArray();
        int[][] d = new int[x.length + 1][y.length + 1];
        for (int i = 0; i <= x.length; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            for (int j = 1; j <= y.length; j++) {
                int cost = x[i - 1] == y[j - 1] ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[x.length][y.length];
    }

    /** 1 - edit distance / length of the longer value (in code points, of the first {@value #COMPARED_LENGTH} characters). */
    public static double editSimilarity(String a, String b) {
        a = compared(a);
        b = compared(b);
        int length = Math.max(a.codePointCount(0, a.length()), b.codePointCount(0, b.length()));
        return length == 0 ? 1.0 : 1.0 - (double) editDistance(a, b) / length;
    }

    /**
     * Symmetric Monge-Elkan over words: each word of the value with fewer words is paired with its
     * most similar word (Jaro-Winkler) of the other, and the best scores are averaged. Word order
     * does not matter, and a word present in only one value (a building name, a middle name) costs
     * nothing as long as the shorter value is contained in the longer; the whole-string
     * Jaro-Winkler, with and without the spaces, is taken when higher, so words split or joined
     * differently ({@code Sal T} and {@code Salt}, {@code goodwinstreet}) still compare well.
     */
    public static double tokenSimilarity(String a, String b) {
        List<String> x = words(compared(a));
        List<String> y = words(compared(b));
        if (x.isEmpty() || y.isEmpty()) {
            return 0.0;
        }
        List<String> fewer = x.size() <= y.size() ? x : y;
        List<String> more = fewer == x ? y : x;
        double sum = 0;
        for (String word : fewer) {
            double best = 0;
            for (String other : more) {
                best = Math.max(best, jaroWinkler(word, other));
            }
            sum += best;
        }
        double whole = Math.max(jaroWinkler(String.join(" ", x), String.join(" ", y)), jaroWinkler(String.join("", x), String.join("", y)));
        return Math.max(sum / fewer.size(), whole);
    }

    private static List<String> words(String value) {
        List<String> words = new ArrayList<>();
        for (String word : value.split(" ")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
