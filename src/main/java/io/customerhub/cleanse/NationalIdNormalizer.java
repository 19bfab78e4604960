package io.customerhub.cleanse;

import io.customerhub.record.Gender;
import java.time.LocalDate;

/**
 * Normalizes national identity numbers and checks Chinese resident identity numbers (GB 11643:
 * 17 digits and an ISO 7064 MOD 11-2 check character), whose embedded birth date and gender
 * fill gaps in records that lack them. Other identifiers are only normalized.
 */
public final class NationalIdNormalizer {

    /**
     * A normalized identifier.
     *
     * @param value     without spaces and dashes, upper-case
     * @param valid     false only for an 18-character resident id whose check character or date is wrong
     * @param birthDate from a valid resident id, else null
     * @param gender    from a valid resident id, else null
     */
    public record NationalId(String value, boolean valid, LocalDate birthDate, Gender gender) {
    }

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = "10X98765432".toCharArray();

    private final DateParser dates = new DateParser(DateOrder.YMD);

    public NationalId normalize(String cleaned) {
        StringBuilder id = new StringBuilder(cleaned.length());
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (c != ' ' && c != '-') {
                id.append(Character.toUpperCase(c));
            }
        }
        String value = id.toString();
        if (!isResidentIdShape(value)) {
            return new NationalId(value, true, null, null);
        }
        LocalDate birthDate = dates.parse(value.substring(6, 14));
        if (checkCharacter(value) != value.charAt(17) || birthDate == null) {
            return new NationalId(value, false, null, null);
        }
        Gender gender = (value.charAt(16) - '0') % 2 == 1 ? Gender.M : Gender.F;
        return new NationalId(value, true, birthDate, gender);
    }

    /** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
    static char checkCharacter(String id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    private static boolean isResidentIdShape(String id) {
        if (id.length() != 18) {
            return false;
        }
        for (int i = 0; i < 17; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        char last = id.charAt(17);
        return last == 'X' || (last >= '0' && last <= '9');
    }
}
