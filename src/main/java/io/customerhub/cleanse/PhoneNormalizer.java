package io.customerhub.cleanse;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Turns a phone number as people write it into E.164 ({@code +8613800138000}) with
 * libphonenumber, so the same number written five ways matches itself. Numbers without a country
 * code belong to the configured region; a number that only makes sense with its country code
 * missing its {@code +} ({@code 86-13800138000}) is read that way.
 */
public final class PhoneNormalizer {

    // Loading the metadata is costly; the instance is immutable and thread-safe.
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String region;

    public PhoneNormalizer(String region) {
        this.region = region;
    }

    /** The number in E.164, or null when it cannot be parsed or is not a valid number. */
    public String normalize(String cleaned) {
        int digits = countDigits(cleaned);
        if (digits < 3 || digits > 17) {
            return null;
        }
        PhoneNumber number = parse(cleaned);
        if ((number == null || !PHONES.isValidNumber(number)) && cleaned.indexOf('+') < 0) {
            number = parse("+" + cleaned);
        }
        if (number == null || !PHONES.isValidNumber(number)) {
            return null;
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private PhoneNumber parse(String text) {
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
