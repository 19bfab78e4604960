package io.customerhub.cleanse;

import java.util.Locale;

/**
 * Registry ids of organizations. A Chinese unified social credit code (统一社会信用代码, GB 32100-2015) has 18
 * characters of {@code 0-9A-HJ-NPQRTUWXY}, the last a check character over the first 17: such a code is checked; any
 * other id (a tax or registry number of another country) is kept as written, upper-cased, without spaces and dashes.
 */
final class CreditCodes {

    private static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final int LENGTH = 18;

    private CreditCodes() {
    }

    /** The id normalized, or null when it has the shape of a unified social credit code and a wrong check character. */
    static String normalize(String cleaned) {
        String id = cleaned.replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT);
        if (id.length() != LENGTH || !id.chars().allMatch(c -> CHARSET.indexOf(c) >= 0)) {
            return id;
        }
        return id.charAt(LENGTH - 1) == checkCharacter(id) ? id : null;
    }

    /** The check character of the first 17 characters of a unified social credit code. */
    static char checkCharacter(String code) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += CHARSET.indexOf(code.charAt(i)) * WEIGHTS[i];
        }
        return CHARSET.charAt((31 - sum % 31) % 31);
    }
}
