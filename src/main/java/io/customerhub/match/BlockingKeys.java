package io.customerhub.match;

import io.customerhub.record.Letters;
import io.customerhub.record.CustomerRecord;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The blocking keys of a record: short strings that a record shares with the records it may
 * match, so that candidates are found by key look-up instead of comparing all pairs. At most
 * {@value #MAX_KEYS} per record, in this order (later ones are dropped first), each combining
 * independent pieces of evidence so that a key stays selective however large the store grows (a
 * key's share of the records must not depend on their number), and chosen so that a duplicate
 * with its names, birth date, postal code or city corrupted still shares a key:
 *
 * <ul>
 *   <li>{@code e:<email>}, {@code p:<phone>}, {@code n:<nationalId>}: the identifiers;</li>
 *   <li>{@code nb:<name>|<birthDate>}, once for the family and once for the given name, and
 *       {@code np:<name>|<postalCode>} likewise: a name's role is not part of the key, so given and
 *       family name swapped still collide, and each key survives a typo in the other name. A
 *       common family name ({@link FamilyNames}: {@code wang} is one person in fourteen) enters
 *       with the first letter of the other name ({@code zhang+W}), else it would hold that share
 *       of everyone born on a day or living in a postal area;</li>
 *   <li>{@code bp:<birthDate>|<postalCode>}: survives typos in both names;</li>
 *   <li>{@code bi:<birthDate>|<initial><initial>}: the first letters of both names, sorted,
 *       which typos rarely touch, with the date's day and month in either order: survives typos in both
 *       names, a new address and a transposed date;</li>
 *   <li>{@code nc:<name>+<name>|<city>|<house number>}: both names, sorted, with the city and the
 *       house number when the street has one (a city alone is too large an area for romanized
 *       Chinese names, which repeat: 张伟 is the name of some 300,000 people): survives a wrong
 *       birth date and postal code;</li>
 *   <li>{@code a:<postalCode>|<house number>|<street>}: the household, survives new names;</li>
 *   <li>{@code ny:<name>+<name>|<birthYear>|<city>}: both names sorted, survives a wrong birth date
 *       and postal code.</li>
 * </ul>
 *
 * A Chinese name enters as its toneless Hanyu Pinyin ({@code 张伟} and {@code 張偉}: family
 * {@code zhang}, given {@code wei}) and a romanized Chinese name as written, so both collide with
 * each other in either order; pinyin is not coded phonetically, as its few, alike syllables would
 * make {@code zhang}, {@code zheng} and {@code zhong} one code. Other Latin names, cities and
 * street words enter as their Soundex code, so most typos and spelling variants keep the key. A key
 * whose parts are missing is not made. A full name that could not be split (one word) enters as the family name.
 */
public final class BlockingKeys {

    /** Keys a record has at most: the store looks them up in batches, so few keys keep it cheap. */
    public static final int MAX_KEYS = 12;

    private BlockingKeys() {
    }

    public static Set<String> of(CustomerRecord record) {
        Set<String> keys = new LinkedHashSet<>();
        String email = Similarity.normalize(record.email()) == null ? null : Letters.lower(record.email().trim());
        add(keys, "e:", email);
        add(keys, "p:", record.phone());
        add(keys, "n:", Similarity.normalize(record.nationalId()) == null ? null : record.nationalId().replace(" ", ""));
        if (record.isOrganization()) {
            organizationKeys(keys, record);
            return keys;
        }
        String given = nameCode(record.givenName(), false);
        String family = nameCode(RecordComparator.familyOrLoneName(record), true);
        String givenKey = nameKey(given, family);
        String familyKey = nameKey(family, given);
        LocalDate birth = record.birthDate();
        String date = birth == null ? null : birth.toString();
        String postal = Similarity.normalize(record.address().postalCode());
        String city = cityCode(record.address().city());
        if (date != null) {
            add(keys, "nb:", familyKey == null ? null : familyKey + "|" + date);
            add(keys, "nb:", givenKey == null ? null : givenKey + "|" + date);
            add(keys, "bp:", postal == null ? null : date + "|" + postal);
        }
        if (postal != null) {
            add(keys, "np:", familyKey == null ? null : familyKey + "|" + postal);
            add(keys, "np:", givenKey == null ? null : givenKey + "|" + postal);
        }
        boolean both = given != null && family != null;
        if (both && city != null) {
            String number = houseNumber(record.address().street());
            add(keys, "nc:", sorted(given, family, "+") + "|" + city + (number == null ? "" : "|" + number));
        }
        if (both && date != null) {
            add(keys, "bi:", dayAndMonthEitherWay(birth) + "|" + sorted(initial(given), initial(family), ""));
        }
        add(keys, "a:", streetCode(record.address().street(), postal));
        if (both && birth != null && city != null) {
            add(keys, "ny:", sorted(given, family, "+") + "|" + birth.getYear() + "|" + city);
        }
        return keys.size() <= MAX_KEYS ? keys : keys.stream().limit(MAX_KEYS).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The keys of an organization besides its identifiers: its name's core (legal form, punctuation, a leading Chinese
     * city left out; Latin words each by Soundex, sorted) with the city, with the house number (survives a missing or
     * differently written city), and its first word with the city and house number (survives a typo in the other
     * words); and the household key of its address. The core alone would be a
     * key whose block grows with the data (chains, namesakes in other cities): comparisons per record would not stay
     * flat.
     */
    private static void organizationKeys(Set<String> keys, CustomerRecord record) {
        OrganizationNames name = OrganizationNames.of(record.fullName());
        String city = cityCode(record.address().city());
        String postal = Similarity.normalize(record.address().postalCode());
        if (name != null && !name.core().isEmpty()) {
            boolean latin = isLatin(name.core());
            List<String> words = latin ? Arrays.stream(name.core().split(" ")).map(BlockingKeys::soundex).filter(w -> w != null)
                    .sorted().toList() : List.of(name.core());
            String core = String.join("+", words);
            add(keys, "oc:", city == null ? null : core + "|" + city);
            String street = houseNumber(record.address().street());
            add(keys, "os:", street == null ? null : core + "|" + street);
            String first = latin ? soundex(name.core().split(" ")[0]) : name.core().substring(0, Math.min(2, name.core().length()));
            add(keys, "of:", first == null || city == null || street == null ? null : first + "|" + city + "|" + street);
        }
        add(keys, "a:", streetCode(record.address().street(), postal));
    }

    /** A birth date with its day and month in either order, so that a transposed date keeps the key. */
    private static String dayAndMonthEitherWay(LocalDate date) {
        int low = Math.min(date.getDayOfMonth(), date.getMonthValue());
        int high = Math.max(date.getDayOfMonth(), date.getMonthValue());
        // built by hand: this runs for every record, and String.format costs a microsecond
        return date.getYear() + (low < 10 ? "-0" : "-") + low + (high < 10 ? "-0" : "-") + high;
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

    /** The first word of the street that starts with a digit, or null. */
    private static String houseNumber(String street) {
        String normalized = Similarity.normalize(street);
        if (normalized == null) {
            return null;
        }
        for (String part : normalized.split(" ")) {
            if (Character.isDigit(part.charAt(0))) {
                return part;
            }
        }
        return null;
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
     * A name's code, joined by the first letter of the other name's code when the name is a common
     * family name ({@link FamilyNames}): {@code wang} with a birth date or a postal code alone would
     * hold one record in fourteen of the date or the area, and the share grows with the data. The
     * name's role does not matter, so swapped names still collide.
     */
    static String nameKey(String code, String otherCode) {
        if (code == null || otherCode == null || FamilyNames.share(code) <= 0) {
            return code;
        }
        return code + "+" + initial(otherCode);
    }

    /** The first letter of a name code, upper case: a Soundex code and a pinyin spelling start alike. */
    private static String initial(String code) {
        return code.substring(0, 1).toUpperCase(Locale.ROOT);
    }

    /**
     * The toneless pinyin of a Chinese name (its first reading: {@code 张伟} is family {@code zhang},
     * given {@code wei}) and a romanized Chinese name as written ({@code Zhang}, {@code Xiao Ming}
     * is {@code xiaoming}): pinyin syllables are few and alike, so a phonetic code would join
     * {@code zhang}, {@code zheng} and {@code zhong}; the Soundex of any other Latin name, so that
     * most typos and spelling variants keep the key; else the name's characters; null if empty. A
     * family name is coded whole ({@code Rei D}, {@code van der Berg}, {@code 欧阳}), a non-pinyin
     * Latin given name by its first word, so a middle name given by one source only does not
     * change it.
     */
    static String nameCode(String name, boolean whole) {
        String normalized = Similarity.normalize(name);
        if (normalized == null) {
            return null;
        }
        if (ChineseNames.isHan(normalized)) {
            String reading = ChineseNames.pinyin(normalized, whole);
            return reading != null && isLatin(reading) ? reading : ChineseNames.simplified(normalized.replace(" ", ""));
        }
        if (!isLatin(normalized)) {
            return normalized.replace(" ", "");
        }
        if (ChineseNames.isPinyin(normalized)) {
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
