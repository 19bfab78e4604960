package io.customerhub.cleanse;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Turns a phone number as people write it into E.164 ({@code +8613800138000}) with
 * libphonenumber, so the same number written five ways matches itself. Numbers without a country
 * code belong to the configured region; a number that only makes sense with its country code
 * missing its {@code +} ({@code 86-13800138000}) is read that way; a local number written without its
 * area code ({@code 6552 9988} in Beijing) is read with the area code of its source when one is configured.
 */
public final class PhoneNormalizer {

    // Loading the metadata is costly; the instance is immutable and thread-safe.
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private static final int CHINA = 86;

    private final String region;

    public PhoneNormalizer(String region) {
        this.region = region;
    }

    /** The number in E.164, or null when it cannot be parsed or is not a valid number. */
    public String normalize(String cleaned) {
        return normalize(cleaned, region);
    }

    /**
     * As {@link #normalize(String, String)}; a number that is not valid as written, and has no {@code +}, is read
     * again with {@code areaCode} (digits, or null for none) in front.
     */
    public String normalize(String cleaned, String recordRegion, String areaCode) {
        String number = normalize(cleaned, recordRegion);
        return number != null || areaCode == null || cleaned.indexOf('+') >= 0 ? number
                : normalize(areaCode + " " + cleaned, recordRegion);
    }

    /**
     * As {@link #normalize(String)}, reading a number without country code as one of
     * {@code recordRegion} (the record's own country) when given, else of the configured region.
     */
    public String normalize(String cleaned, String recordRegion) {
        String region = recordRegion != null ? recordRegion : this.region;
        int digits = countDigits(cleaned);
        if (digits < 3 || digits > 17) {
            return null;
        }
        String mobile = chineseMobile(cleaned, region);
        if (mobile != null) {
            return mobile;
        }
        PhoneNumber number = parse(cleaned, region);
        if ((number == null || !PHONES.isValidNumber(number)) && cleaned.indexOf('+') < 0) {
            number = parse("+" + cleaned, region);
        }
        if (number == null || !PHONES.isValidNumber(number)) {
            return null;
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /**
     * Chinese mobile numbers are most of what Chinese sources hold, and libphonenumber's parser
     * costs about 20 µs on them (the CN carrier-prefix pattern is large); a plain 11-digit mobile,
     * with or without 86, is recognized here and only validated by libphonenumber. Anything else,
     * or a number the fast path finds invalid, goes through the full parser.
     */
    private static String chineseMobile(String text, String region) {
        char[] digits = new char[text.length()];
        int count = 0;
        boolean plus = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits[count++] = c;
            } else if (c == '+' && count == 0 && !plus) {
                plus = true;
            } else if (c != ' ' && c != '-') {
                return null;
            }
        }
        int start = count - 11;
        boolean national = start == 0 && !plus && region.equals("CN");
        boolean international = (start == 2 && digits[0] == '8' && digits[1] == '6')
                || (start == 4 && !plus && digits[0] == '0' && digits[1] == '0' && digits[2] == '8' && digits[3] == '6');
        if (!(national || international) || digits[start] != '1') {
            return null;
        }
        long nationalNumber = Long.parseLong(new String(digits, start, 11));
        PhoneNumber number = new PhoneNumber().setCountryCode(CHINA).setNationalNumber(nationalNumber);
        return PHONES.isValidNumber(number) ? "+86" + nationalNumber : null;
    }

    private static PhoneNumber parse(String text, String region) {
        try {
            return PHONES.parse(text, region);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static int countDigits(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
