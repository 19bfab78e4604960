package io.customerhub.match;

import io.customerhub.record.CustomerRecord;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The blocking keys of a record: short strings that a record shares with the records it may
 * match, so that candidates are found by key look-up instead of comparing all pairs. At most
 * {@value #MAX_KEYS} per record, in this order (later ones are dropped first), each combining two
 * independent pieces of evidence so that a key stays selective in a large store, and chosen so
 * that a duplicate with its name, birth date or postal code corrupted still shares a key:
 *
 * <ul>
 *   <li>{@code e:<email>}, {@code p:<phone>}, {@code n:<nationalId>}: the identifiers;</li>
 *   <li>{@code nb:<name>|<birthDate>}, once for the family and once for the given name, and
 *       {@code np:<name>|<postalCode>} likewise: a name's role is not part of the key, so given
 *       and family name swapped still collide, and each key survives a typo in the other name;</li>
 *   <li>{@code bp:<birthDate>|<postalCode>}: survives typos in both names;</li>
 *   <li>{@code ny:<name>+<name>|<birthYear>}: both names sorted, survives a wrong birth date and
 *       postal code;</li>
 *   <li>{@code a:<postalCode>|<house number>|<street>}: the household, survives new names.</li>
 * </ul>
 *
 * A Latin name or street word enters as its Soundex code, so most typos and spelling variants
 * keep the key; a Chinese name enters as its characters ({@code 张伟}: family {@code 张}, given
 * {@code 伟}). A key whose parts are missing is not made.
 */
public final class BlockingKeys {

    /** Keys a record has at most: the store looks them up in batches, so few keys keep it cheap. */
    public static final int MAX_KEYS = 8;

    private BlockingKeys() {
    }

    public static Set<String> of(CustomerRecord record) {
        Set<String> keys = new LinkedHashSet<>();
        String email = Similarity.normalize(record.email()) == null ? null : record.email().trim().toLowerCase();
        add(keys, "e:", email);
        add(keys, "p:", record.phone());
        add(keys, "n:", Similarity.normalize(record.nationalId()) == null ? null : record.nationalId().replace(" ", ""));
        String given = nameCode(record.givenName(), false);
        String family = nameCode(record.familyName(), true);
        LocalDate birth = record.birthDate();
        String date = birth == null ? null : birth.toString();
        String postal = Similarity.normalize(record.address().postalCode());
        if (date != null) {
            add(keys, "nb:", family == null ? null : family + "|" + date);
            add(keys, "nb:", given == null ? null : given + "|" + date);
            add(keys, "bp:", postal == null ? null : date + "|" + postal);
        }
        if (postal != null) {
            add(keys, "np:", family == null ? null : family + "|" + postal);
            add(keys, "np:", given == null ? null : given + "|" + postal);
        }
        if (given != null && family != null && birth != null) {
            add(keys, "ny:", (given.compareTo(family) <= 0 ? given + "+" + family : family + "+" + given) + "|" + birth.getYear());
        }
        add(keys, "a:", streetCode(record.address().street(), postal));
        return keys.size() <= MAX_KEYS ? keys : keys.stream().limit(MAX_KEYS).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static void add(Set<String> keys, String prefix, String value) {
        if (value != null && !value.isEmpty()) {
            keys.add(prefix + value);
        }
    }

    /** The house number and the Soundex of the first street word, with the postal code. */
    static String streetCode(String street, String postal) {
        String normalized = Similarity.normalize(street);
        if (normalized == null || postal == null) {
            return null;
        }
        String number = null;
        String word = null;
        for (String part : normalized.split(" ")) {
            if (number == null && Character.isDigit(part.charAt(0))) {
                number = part;
            } else if (word == null && Character.isLetter(part.charAt(0))) {
                word = isLatin(part) ? soundex(part) : part;
            }
        }
        return word == null ? null : postal + "|" + (number == null ? "" : number) + "|" + word;
    }

    /**
     * Soundex of a Latin name, the characters of a Chinese one, null if empty. A family name is
     * coded whole ({@code Rei D}, {@code van der Berg}), a given name by its first word, so a
     * middle name given by one source only does not change it.
     */
    static String nameCode(String name, boolean whole) {
        String normalized = Similarity.normalize(name);
        if (normalized == null) {
            return null;
        }
        if (!isLatin(normalized)) {
            return normalized.replace(" ", "");
        }
        int space = normalized.indexOf(' ');
        return soundex(whole ? normalized.replace(" ", "") : space < 0 ? normalized : normalized.substring(0, space));
    }

    private static boolean isLatin(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != ' ') {
                return false;
            }
        }
        return true;
    }

    private static final String CODES = "01230120022455012623010202";

    /** American Soundex: first letter and three digits; h and w do not separate equal codes. */
    static String soundex(String word) {
        StringBuilder code = new StringBuilder(4);
        char last = 0;
        for (int i = 0; i < word.length() && code.length() < 4; i++) {
            char c = word.charAt(i);
            if (c < 'a' || c > 'z') {
                continue;
            }
            char digit = CODES.charAt(c - 'a');
            if (code.length() == 0) {
                code.append(Character.toUpperCase(c));
                last = digit;
            } else if (digit != '0' && digit != last) {
                code.append(digit);
                last = digit;
            } else if (c != 'h' && c != 'w') {
                last = digit;
            }
        }
        if (code.length() == 0) {
            return null;
        }
        while (code.length() < 4) {
            code.append('0');
        }
        return code.toString();
    }
}
