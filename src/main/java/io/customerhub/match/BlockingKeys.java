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
 * that a duplicate with its names, birth date, postal code or city corrupted still shares a key:
 *
 * <ul>
 *   <li>{@code e:<email>}, {@code p:<phone>}, {@code n:<nationalId>}: the identifiers;</li>
 *   <li>{@code nb:<name>|<birthDate>}, once for the family and once for the given name,
 *       {@code np:<name>|<postalCode>} and {@code nc:<name>|<city>} likewise: a name's role is not
 *       part of the key, so given and family name swapped still collide, each key survives a typo
 *       in the other name, and one of postal code and city survives a typo in the other;</li>
 *   <li>{@code bp:<birthDate>|<postalCode>}: survives typos in both names;</li>
 *   <li>{@code bi:<birthDate>|<initial><initial>}: the first letters of both names, sorted,
 *       which typos rarely touch: survives typos in both names and a new address;</li>
 *   <li>{@code a:<postalCode>|<house number>|<street>}: the household, survives new names;</li>
 *   <li>{@code ny:<name>+<name>|<birthYear>}: both names sorted, survives a wrong birth date and
 *       postal code.</li>
 * </ul>
 *
 * A Latin name, city or street word enters as its Soundex code, so most typos and spelling
 * variants keep the key. A Chinese name enters as the Soundex of its Hanyu Pinyin ({@code 张伟}
 * and {@code 張偉}: family {@code zhang}, given {@code wei}), so it collides with itself in
 * simplified and traditional characters and with its romanization ({@code Zhang Wei}, in either
 * order). A key whose parts are missing is not made.
 */
public final class BlockingKeys {

    /** Keys a record has at most: the store looks them up in batches, so few keys keep it cheap. */
    public static final int MAX_KEYS = 12;

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
        String city = cityCode(record.address().city());
        if (date != null) {
            add(keys, "nb:", family == null ? null : family + "|" + date);
            add(keys, "nb:", given == null ? null : given + "|" + date);
            add(keys, "bp:", postal == null ? null : date + "|" + postal);
        }
        if (postal != null) {
            add(keys, "np:", family == null ? null : family + "|" + postal);
            add(keys, "np:", given == null ? null : given + "|" + postal);
        }
        boolean both = given != null && family != null;
        if (both && city != null) {
            add(keys, "nc:", sorted(given, family, "+") + "|" + city);
        }
        if (both && date != null) {
            add(keys, "bi:", date + "|" + sorted(given.substring(0, 1), family.substring(0, 1), ""));
        }
        add(keys, "a:", streetCode(record.address().street(), postal));
        if (both && birth != null) {
            add(keys, "ny:", sorted(given, family, "+") + "|" + birth.getYear());
        }
        return keys.size() <= MAX_KEYS ? keys : keys.stream().limit(MAX_KEYS).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String sorted(String a, String b, String separator) {
        return a.compareTo(b) <= 0 ? a + separator + b : b + separator + a;
    }

    private static void add(Set<String> keys, String prefix, String value) {
        if (value != null && !value.isEmpty()) {
            keys.add(prefix + value);
        }
    }

    /** The Soundex of a Latin city name with its spaces removed, else its (simplified) characters. */
    static String cityCode(String city) {
        String normalized = Similarity.normalize(city);
        if (normalized == null) {
            return null;
        }
        String joined = normalized.replace(" ", "");
        return isLatin(joined) ? soundex(joined) : ChineseNames.simplified(joined);
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
                word = isLatin(part) ? soundex(part) : ChineseNames.simplified(part);
            }
        }
        return word == null ? null : postal + "|" + (number == null ? "" : number) + "|" + word;
    }

    /**
     * Soundex of a Latin name, of the pinyin of a Chinese one, else the name's characters; null if
     * empty. A family name is coded whole ({@code Rei D}, {@code van der Berg}, {@code 欧阳}), a
     * Latin given name by its first word, so a middle name given by one source only does not
     * change it.
     */
    static String nameCode(String name, boolean whole) {
        String normalized = Similarity.normalize(name);
        if (normalized == null) {
            return null;
        }
        if (ChineseNames.isHan(normalized)) {
            String code = soundex(ChineseNames.pinyin(normalized, whole));
            return code != null ? code : ChineseNames.simplified(normalized.replace(" ", ""));
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
