package io.customerhub.match;

import io.customerhub.record.Letters;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how strongly two cleansed records look like the same person, field by field, so that
 * the decision can be shown to a data steward and stored with the merge.
 *
 * <p>Each field present on both sides is compared with a similarity suited to it (names:
 * Jaro-Winkler over words; Chinese names: edit similarity over their simplified characters, so
 * {@code 張偉} equals {@code 张伟}, and against a Latin-script name the best Jaro-Winkler of their
 * pinyin readings, so {@code 张伟} equals {@code Zhang Wei}; street, city, district, company: word
 * similarity, a street with another house number being another address; birth date in levels: exact, day
 * and month transposed, one digit wrong, within a month, within a year) and earns a weight between its disagreement weight
 * (similarity at or below the field's floor) and its agreement weight (similarity 1), linearly in
 * between. The floor is where a similarity stops being evidence of a typo: Jaro-Winkler of
 * unrelated names is rarely above 0.75. A given name below the floor and more than a slip away
 * (one edit, or a homophone in characters) is another name and weighs twice its disagreement. A
 * common family name ({@link FamilyNames}) agrees for less: {@code log2(0.9 / share)} bits,
 * {@code Wang} 3.6. Identifiers (e-mail, phone, national id) and postal codes are equal or not:
 * equal earns the agreement, one typo away nothing (a national id: most of its agreement), anything
 * else the disagreement, however many characters the two share. The address parts together earn
 * at most {@link MatchSettings#addressCap()}, as one household, and province and country earn
 * nothing more once the cities were compared. Given and family name are also compared crosswise,
 * and the crosswise reading is taken when it scores higher. The score is the sum of the weights.
 *
 * <p>The deterministic rules: the same e-mail, E.164 phone or national id merges unless the evidence against it
 * is strong by the weights in force: names, birth dates and gender together at least
 * {@value #STRONG_EVIDENCE_AGAINST} bits against (other names, or birth dates more than a month apart; not a
 * gender alone); a shared identifier with such evidence against it (a family's shared phone) is left to the weighted score. A national id is
 * one person's, not a household's, so the same national id with both names agreeing merges even
 * when the birth dates differ. A national id one typo away from the other keeps most of its
 * agreement weight (two people's ids are rarely one edit apart).
 * Thread-safe and stateless apart from its settings.
 */
public final class RecordComparator {

    private static final double NAME_FLOOR = 0.75;
    private static final double CJK_NAME_FLOOR = 0.5;
    /** Pinyin syllables are short and alike ({@code zhang}, {@code zheng}): only a near-identical spelling is a typo. */
    private static final double PINYIN_FLOOR = 0.9;
    private static final double TEXT_FLOOR = 0.75;
    /** How often a name agrees for the same person, for the weight of a common family name. */
    private static final double NAME_M = 0.9;
    /**
     * A given name that is neither close (Jaro-Winkler above the floor) nor a typo away weighs this
     * many times its disagreement: it is another name, not a misspelling.
     */
    private static final double DIFFERENT_NAME_FACTOR = 2;
    /**
     * A national id one typo away from another, of at least {@link #TYPO_ID_LENGTH} characters,
     * earns its agreement weight less this: two people's ids are one edit apart by chance about
     * 9·L/10^L of the time (and never for ids with a check digit), while a keyed id carries a typo
     * about one time in sixteen.
     */
    private static final double TYPO_BITS = 4;
    private static final int TYPO_ID_LENGTH = 6;
    private static final double WITHIN_A_MONTH = 0.55;
    /** The share of their weight an organization's e-mail and phone earn: a head office's serve all its sites. */
    private static final double ORGANIZATION_CONTACT = 0.25;
    private static final double WITHIN_A_YEAR = 0.4;
    /**
     * The evidence against a shared identifier, in bits, that keeps it from merging on its own: 64 to 1. With the default
     * weights other names (given and family) or birth dates more than a month apart reach it, a gender alone does not
     * (it is miscoded more often than an identifier is shared); with learned weights in force, theirs decide.
     */
    private static final double STRONG_EVIDENCE_AGAINST = 6;

    private final MatchSettings settings;

    public RecordComparator(MatchSettings settings) {
        this.settings = settings;
    }

    public MatchScore compare(CustomerRecord a, CustomerRecord b) {
        if (a.type() != b.type()) {
            return new MatchScore(-100, "different-types", List.of());
        }
        if (a.isOrganization()) {
            return compareOrganizations(a, b);
        }
        List<FieldComparison> fields = new ArrayList<>();
        boolean swapped = names(a, b, fields);
        FieldComparison birth = birthDate(a.birthDate(), b.birthDate());
        fields.add(birth);
        FieldComparison gender = gender(a.gender(), b.gender());
        fields.add(gender);
        FieldComparison email = identifier(CanonicalField.EMAIL, lower(a.email()), lower(b.email()));
        fields.add(email);
        FieldComparison phone = identifier(CanonicalField.PHONE, compact(a.phone()), compact(b.phone()));
        fields.add(phone);
        FieldComparison id = identifier(CanonicalField.NATIONAL_ID, compact(a.nationalId()), compact(b.nationalId()));
        fields.add(id);
        fields.addAll(address(a, b));
        fields.add(text(CanonicalField.COMPANY, a.company(), b.company(), Similarity::tokenSimilarity, TEXT_FLOOR));

        double score = 0;
        for (FieldComparison field : fields) {
            score += field.weight();
        }
        String rule = "weighted";
        FieldComparison identifier = null;
        if (!contradicted(fields.get(0), fields.get(1), birth, gender)) {
            identifier = exact(email) ? email : exact(phone) ? phone : exact(id) ? id : null;
        } else if (exact(id) && namesAgree(fields.get(0), fields.get(1)) && gender.weight() >= 0) {
            // a national id is one person's, not a household's: with both names and the gender agreeing, the dates hold the typo
            identifier = id;
        }
        if (identifier != null) {
            rule = "exact:" + identifier.field().key();
            score = Math.max(score, settings.upper());
        }
        return new MatchScore(score, swapped ? rule + "+swapped-names" : rule, fields);
    }

    /**
     * Two organizations: their names by their cores (legal form, punctuation and a leading Chinese city left out), a
     * head office and a branch, or two branches, disagreeing however alike the rest; the registry id (a unified social
     * credit code) as an identifier that merges when the units agree; e-mail and phone for {@value #ORGANIZATION_CONTACT}
     * of their weight and never alone (a head office's number and mailbox serve all its sites); the address as for
     * people.
     */
    private MatchScore compareOrganizations(CustomerRecord a, CustomerRecord b) {
        List<FieldComparison> fields = new ArrayList<>();
        OrganizationNames x = OrganizationNames.of(a.fullName());
        OrganizationNames y = OrganizationNames.of(b.fullName());
        FieldComparison name;
        if (x == null || y == null) {
            name = new FieldComparison(CanonicalField.FULL_NAME, x == null ? null : x.core(), y == null ? null : y.core(), 0, 0);
        } else {
            boolean han = ChineseNames.isHan(x.core()) || ChineseNames.isHan(y.core());
            double similarity = han ? Similarity.editSimilarity(x.core(), y.core()) : Similarity.tokenSimilarity(x.core(), y.core());
            name = x.sameUnit(y) ? weighted(CanonicalField.FULL_NAME, x.core(), y.core(), similarity, han ? CJK_NAME_FLOOR : NAME_FLOOR)
                    : new FieldComparison(CanonicalField.FULL_NAME, describe(x), describe(y), 0,
                            settings.weights(CanonicalField.FULL_NAME).disagree());
        }
        fields.add(name);
        FieldComparison id = identifier(CanonicalField.NATIONAL_ID, compact(a.nationalId()), compact(b.nationalId()));
        fields.add(id);
        fields.add(scaled(identifier(CanonicalField.EMAIL, lower(a.email()), lower(b.email())), ORGANIZATION_CONTACT));
        fields.add(scaled(identifier(CanonicalField.PHONE, compact(a.phone()), compact(b.phone())), ORGANIZATION_CONTACT));
        fields.addAll(address(a, b));
        double score = fields.stream().mapToDouble(FieldComparison::weight).sum();
        boolean sameUnit = x == null || y == null || x.sameUnit(y);
        if (exact(id) && sameUnit) {
            return new MatchScore(Math.max(score, settings.upper()), "exact:nationalId", fields);
        }
        return new MatchScore(score, "weighted", fields);
    }

    /** The address parts compared, province and country implied by the cities, capped together as one household. */
    private List<FieldComparison> address(CustomerRecord a, CustomerRecord b) {
        List<FieldComparison> address = new ArrayList<>();
        address.add(text(CanonicalField.STREET, a.address().street(), b.address().street(), RecordComparator::streetSimilarity, TEXT_FLOOR));
        address.add(text(CanonicalField.DISTRICT, a.address().district(), b.address().district(), Similarity::tokenSimilarity, TEXT_FLOOR));
        address.add(text(CanonicalField.CITY, a.address().city(), b.address().city(), Similarity::tokenSimilarity, TEXT_FLOOR));
        address.add(postalCode(a.address().postalCode(), b.address().postalCode()));
        address.add(text(CanonicalField.PROVINCE, a.address().province(), b.address().province(), Similarity::jaroWinkler, TEXT_FLOOR));
        address.add(text(CanonicalField.COUNTRY, a.address().country(), b.address().country(), (x, y) -> x.equals(y) ? 1.0 : 0.0, 0.5));
        return capped(implied(address), settings.addressCap());
    }

    private static String describe(OrganizationNames name) {
        return name.branch() == null ? name.core() : name.core() + " / " + name.branch();
    }

    private static FieldComparison scaled(FieldComparison field, double factor) {
        return new FieldComparison(field.field(), field.left(), field.right(), field.similarity(), field.weight() * factor);
    }

    /**
     * Adds the given and the family name comparison, crosswise when that scores higher. Crosswise,
     * each record's family name faces the other's given name, and either pair may be read as the
     * family names (which weighs a common family name less): the lower of the two readings is
     * taken, so the score does not depend on which record comes first. A record with one name only
     * (a one-word full name, a family or a given name alone) may be read crosswise on that name alone:
     * its role is a guess of the source.
     */
    private boolean names(CustomerRecord a, CustomerRecord b, List<FieldComparison> fields) {
        String aGiven = a.givenName();
        String aFamily = familyOrLoneName(a);
        String bGiven = b.givenName();
        String bFamily = familyOrLoneName(b);
        FieldComparison given = name(CanonicalField.GIVEN_NAME, aGiven, bGiven);
        FieldComparison family = name(CanonicalField.FAMILY_NAME, aFamily, bFamily);
        FieldComparison givenCross = name(CanonicalField.GIVEN_NAME, aGiven, bFamily);
        FieldComparison familyCross = name(CanonicalField.FAMILY_NAME, aFamily, bGiven);
        FieldComparison givenOther = name(CanonicalField.GIVEN_NAME, aFamily, bGiven);
        FieldComparison familyOther = name(CanonicalField.FAMILY_NAME, aGiven, bFamily);
        if (givenOther.weight() + familyOther.weight() < givenCross.weight() + familyCross.weight() - 1e-9) {
            givenCross = givenOther;
            familyCross = familyOther;
        }
        // a crosswise reading must beat the straight one clearly, not win on a missing name, unless a record has one only
        boolean lone = (aGiven == null) != (aFamily == null) || (bGiven == null) != (bFamily == null);
        boolean swapped = givenCross.weight() + familyCross.weight() > given.weight() + family.weight() + 1e-9
                && (lone || givenCross.similarity() > 0 && familyCross.similarity() > 0);
        fields.add(swapped ? givenCross : given);
        fields.add(swapped ? familyCross : family);
        return swapped;
    }

    /** The family name, or the full name of a record whose full name could not be split (one word): its one name. */
    static String familyOrLoneName(CustomerRecord record) {
        return record.givenName() == null && record.familyName() == null ? record.fullName() : record.familyName();
    }

    private FieldComparison name(CanonicalField field, String left, String right) {
        String x = Similarity.normalize(left);
        String y = Similarity.normalize(right);
        if (x == null || y == null) {
            return new FieldComparison(field, x, y, 0, 0);
        }
        MatchSettings.Weights weights = nameWeights(field, x, y);
        boolean hanX = ChineseNames.isHan(x);
        boolean hanY = ChineseNames.isHan(y);
        double similarity;
        double floor;
        if (hanX != hanY) {
            similarity = pinyinSimilarity(hanX ? x : y, (hanX ? y : x).replace(" ", ""), field == CanonicalField.FAMILY_NAME);
            floor = PINYIN_FLOOR;
        } else if (hanX) {
            similarity = Similarity.editSimilarity(ChineseNames.simplified(x.replace(" ", "")), ChineseNames.simplified(y.replace(" ", "")));
            floor = CJK_NAME_FLOOR;
        } else {
            boolean latin = isLatin(x) && isLatin(y);
            similarity = latin ? Similarity.tokenSimilarity(x, y) : Similarity.editSimilarity(x.replace(" ", ""), y.replace(" ", ""));
            floor = latin ? NAME_FLOOR : CJK_NAME_FLOOR;
        }
        FieldComparison compared = weighted(field, weights, x, y, similarity, floor);
        if (field == CanonicalField.GIVEN_NAME && similarity < floor && !typo(x, y, false)) {
            return new FieldComparison(field, x, y, similarity, DIFFERENT_NAME_FACTOR * weights.disagree());
        }
        return compared;
    }

    /**
     * Two normalized names that are one name, or one slip apart: at most one edit in the same
     * script, a pinyin reading at most one edit from the Latin spelling, or characters sharing a
     * reading (an input method offers every character of a reading: a homophone is a slip).
     */
    private static boolean typo(String x, String y, boolean family) {
        boolean hanX = ChineseNames.isHan(x);
        boolean hanY = ChineseNames.isHan(y);
        if (hanX && hanY) {
            List<String> readings = ChineseNames.readings(y, family);
            return ChineseNames.readings(x, family).stream().anyMatch(readings::contains);
        }
        if (hanX || hanY) {
            String written = (hanX ? y : x).replace(" ", "");
            return ChineseNames.readings(hanX ? x : y, family).stream().anyMatch(r -> Similarity.editDistance(r, written) <= 1);
        }
        return Similarity.editDistance(x.replace(" ", ""), y.replace(" ", "")) <= 1;
    }

    /**
     * A name's weights with its agreement lowered to {@code log2(m / share)} for a common value (the commoner of the
     * two, so a typo of {@code Wang} is still a common name), never raised above the configured agreement: the
     * share learned with the weights in force ({@link MatchSettings#nameShares}), or for a family name the census
     * share {@link FamilyNames} knows, whichever is larger (term-frequency adjustment).
     */
    private MatchSettings.Weights nameWeights(CanonicalField field, String x, String y) {
        MatchSettings.Weights weights = settings.weights(field);
        double share = Math.max(settings.nameShare(field, x), settings.nameShare(field, y));
        if (field == CanonicalField.FAMILY_NAME) {
            share = Math.max(share, Math.max(FamilyNames.share(x), FamilyNames.share(y)));
        }
        if (share <= 0) {
            return weights;
        }
        double agree = Math.min(weights.agree(), Math.log(NAME_M / share) / Math.log(2));
        return new MatchSettings.Weights(agree, weights.disagree());
    }

    /** The best Jaro-Winkler of a Latin name, spaces dropped, against the pinyin readings of a Chinese one. */
    private static double pinyinSimilarity(String han, String written, boolean family) {
        double best = 0;
        for (String reading : ChineseNames.readings(han, family)) {
            best = Math.max(best, Similarity.jaroWinkler(reading, written));
        }
        return best;
    }

    /**
     * Birth dates compare in levels: 1 for the same date; 0.8 for day and month transposed; 0.7 for one digit wrong
     * or two adjacent digits swapped in YYYYMMDD (the errors of typing a date); {@value #WITHIN_A_MONTH} within a
     * month of each other (a date entered from memory, a registration date taken for a birth date); {@value
     * #WITHIN_A_YEAR} within a year (no evidence either way); else 0. With the default weights (12, -8) the levels
     * earn 12, 8, 6, 3, 0 and -8 bits.
     */
    static double dateSimilarity(LocalDate a, LocalDate b) {
        if (a.equals(b)) {
            return 1.0;
        }
        if (a.getYear() == b.getYear() && a.getDayOfMonth() == b.getMonthValue() && a.getMonthValue() == b.getDayOfMonth()) {
            return 0.8;
        }
        if (Similarity.editDistance(digits(a), digits(b)) == 1) {
            return 0.7;
        }
        long days = Math.abs(a.toEpochDay() - b.toEpochDay());
        return days <= 31 ? WITHIN_A_MONTH : days <= 366 ? WITHIN_A_YEAR : 0.0;
    }

    private FieldComparison birthDate(LocalDate a, LocalDate b) {
        if (a == null || b == null) {
            return new FieldComparison(CanonicalField.BIRTH_DATE, a == null ? null : a.toString(), b == null ? null : b.toString(), 0, 0);
        }
        return weighted(CanonicalField.BIRTH_DATE, a.toString(), b.toString(), dateSimilarity(a, b), 0);
    }

    private FieldComparison gender(Gender a, Gender b) {
        if (a == Gender.U || b == Gender.U) {
            return new FieldComparison(CanonicalField.GENDER, a == Gender.U ? null : a.name(), b == Gender.U ? null : b.name(), 0, 0);
        }
        return weighted(CanonicalField.GENDER, a.name(), b.name(), a == b ? 1 : 0, 0);
    }

    private FieldComparison text(CanonicalField field, String left, String right, Measure measure, double floor) {
        String x = Similarity.normalize(left);
        String y = Similarity.normalize(right);
        if (x == null || y == null) {
            return new FieldComparison(field, x, y, 0, 0);
        }
        return weighted(field, x, y, measure.similarity(x, y), floor);
    }

    /**
     * Identifiers compare as written (cleansing made them canonical) and are equal or not: equal
     * earns the agreement weight; one typo apart (at least {@value #TYPO_ID_LENGTH} characters) is
     * for a national id its agreement less {@link #TYPO_BITS}, for an e-mail or phone no evidence
     * (a typo, or a family's consecutive numbers); anything else is another identifier and earns the
     * disagreement weight, however many characters it shares.
     */
    private FieldComparison identifier(CanonicalField field, String x, String y) {
        if (x == null || x.isEmpty() || y == null || y.isEmpty()) {
            return new FieldComparison(field, x, y, 0, 0);
        }
        MatchSettings.Weights w = settings.weights(field);
        double similarity = Similarity.editSimilarity(x, y);
        if (x.equals(y)) {
            return new FieldComparison(field, x, y, 1.0, w.agree());
        }
        if (Math.min(x.length(), y.length()) >= TYPO_ID_LENGTH && Similarity.editDistance(x, y) == 1) {
            double typo = field == CanonicalField.NATIONAL_ID ? w.agree() - TYPO_BITS : 0;
            return new FieldComparison(field, x, y, similarity, Math.max(typo, w.disagree()));
        }
        return new FieldComparison(field, x, y, similarity, w.disagree());
    }

    private FieldComparison weighted(CanonicalField field, String left, String right, double similarity, double floor) {
        return weighted(field, settings.weights(field), left, right, similarity, floor);
    }

    private static FieldComparison weighted(CanonicalField field, MatchSettings.Weights w, String left, String right, double similarity,
                                            double floor) {
        double share = similarity >= 1.0 ? 1.0 : Math.max(0.0, (similarity - floor) / (1.0 - floor));
        return new FieldComparison(field, left, right, similarity, w.disagree() + (w.agree() - w.disagree()) * share);
    }

    /**
     * The street's word similarity, but 0 when both name a house number and the numbers differ:
     * {@code 文化路 216号} and {@code 文化路 242号} are neighbours, not one address.
     */
    static double streetSimilarity(String a, String b) {
        String numberA = houseNumber(a);
        String numberB = houseNumber(b);
        if (numberA != null && numberB != null && !numberA.equals(numberB)) {
            return 0.0;
        }
        return Similarity.tokenSimilarity(a, b);
    }

    /** The first run of digits, or null. */
    private static String houseNumber(String street) {
        int start = 0;
        while (start < street.length() && !Character.isDigit(street.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < street.length() && Character.isDigit(street.charAt(end))) {
            end++;
        }
        return start == end ? null : street.substring(start, end);
    }

    /**
     * A postal code is equal or not: neighbouring areas have codes one digit apart, so a code one
     * typo away is as likely a neighbour as a slip and weighs nothing either way.
     */
    private FieldComparison postalCode(String left, String right) {
        String x = Similarity.normalize(left);
        String y = Similarity.normalize(right);
        if (x == null || y == null) {
            return new FieldComparison(CanonicalField.POSTAL_CODE, x, y, 0, 0);
        }
        x = x.replace(" ", "");
        y = y.replace(" ", "");
        MatchSettings.Weights w = settings.weights(CanonicalField.POSTAL_CODE);
        double similarity = Similarity.editSimilarity(x, y);
        double weight = x.equals(y) ? w.agree() : Similarity.editDistance(x, y) == 1 ? Math.max(0, w.disagree()) : w.disagree();
        return new FieldComparison(CanonicalField.POSTAL_CODE, x, y, similarity, weight);
    }

    /**
     * A city lies in one province and one country: when the cities were compared, the agreement
     * of province and country tells nothing more and weighs nothing (their disagreement still
     * counts).
     */
    private static List<FieldComparison> implied(List<FieldComparison> address) {
        boolean cityCompared = address.stream().anyMatch(f -> f.field() == CanonicalField.CITY && f.left() != null && f.right() != null);
        if (!cityCompared) {
            return address;
        }
        List<FieldComparison> parts = new ArrayList<>(address.size());
        for (FieldComparison f : address) {
            boolean coarser = f.field() == CanonicalField.PROVINCE || f.field() == CanonicalField.COUNTRY;
            parts.add(coarser && f.weight() > 0 ? new FieldComparison(f.field(), f.left(), f.right(), f.similarity(), 0) : f);
        }
        return parts;
    }

    /**
     * The parts of one address are not independent evidence: street, city and postal code agree
     * together for everyone in a household. Their positive weights are scaled down to sum to at
     * most {@code cap}, so a shared address counts as one strong field, not four.
     */
    private static List<FieldComparison> capped(List<FieldComparison> fields, double cap) {
        double positive = 0;
        for (FieldComparison field : fields) {
            positive += Math.max(0, field.weight());
        }
        if (positive <= cap) {
            return fields;
        }
        double factor = cap / positive;
        List<FieldComparison> scaled = new ArrayList<>(fields.size());
        for (FieldComparison f : fields) {
            scaled.add(f.weight() > 0 ? new FieldComparison(f.field(), f.left(), f.right(), f.similarity(), f.weight() * factor) : f);
        }
        return scaled;
    }

    /** Names that disagree, birth dates beyond a typo apart (when {@code birth} is given), or opposite genders. */
    private boolean contradicted(FieldComparison given, FieldComparison family, FieldComparison birth, FieldComparison gender) {
        double against = 0;
        if (given.left() != null && given.right() != null || family.left() != null && family.right() != null) {
            // another given name counts once here, as a misspelt one does: the family name may still outweigh it
            against += Math.min(0, Math.max(given.weight(), settings.weights(CanonicalField.GIVEN_NAME).disagree()) + family.weight());
        }
        if (birth != null && birth.left() != null && birth.right() != null) {
            against += Math.min(0, birth.weight());
        }
        if (gender.left() != null && gender.right() != null) {
            against += Math.min(0, gender.weight());
        }
        return against <= -STRONG_EVIDENCE_AGAINST;
    }

    /** Both names present on both sides and each close enough to earn weight. */
    private static boolean namesAgree(FieldComparison given, FieldComparison family) {
        return given.left() != null && given.right() != null && given.weight() > 0
                && family.left() != null && family.right() != null && family.weight() > 0;
    }

    private static boolean exact(FieldComparison field) {
        return field.left() != null && field.similarity() == 1.0;
    }

    private static boolean isLatin(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.UnicodeScript.of(value.charAt(i)) == Character.UnicodeScript.HAN) {
                return false;
            }
        }
        return true;
    }

    private static String digits(LocalDate date) {
        return String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    private static String lower(String value) {
        return value == null ? null : Letters.lower(value.trim());
    }

    private static String compact(String value) {
        return value == null ? null : Letters.upper(value.replace(" ", "").replace("-", ""));
    }

    @FunctionalInterface
    private interface Measure {
        double similarity(String a, String b);
    }
}
