package io.customerhub.cleanse;

import io.customerhub.record.Letters;

/**
 * Lower-cases an e-mail address and checks its syntax pragmatically (one {@code @}, a local part
 * without spaces, a domain of valid labels with at least one dot) rather than by RFC 5322, whose
 * full grammar accepts addresses no mail system delivers to and rejects none that sources send.
 */
public final class EmailNormalizer {

    private static final String MAILTO = "mailto:";

    /** The normalized address, or null when the cleaned value is not a plausible address. */
    public String normalize(String cleaned) {
        String email = Letters.lower(cleaned);
        if (email.startsWith(MAILTO)) {
            email = email.substring(MAILTO.length()).trim();
        }
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || email.indexOf(' ') >= 0) {
            return null;
        }
        return isDomain(email, at + 1) ? email : null;
    }

    private static boolean isDomain(String email, int start) {
        int labels = 0;
        int labelStart = start;
        for (int i = start; i <= email.length(); i++) {
            if (i == email.length() || email.charAt(i) == '.') {
                if (!isLabel(email, labelStart, i)) {
                    return false;
                }
                labels++;
                labelStart = i + 1;
            }
        }
        return labels >= 2;
    }

    private static boolean isLabel(String s, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '-' && !Character.isLetterOrDigit(c)) {
                return false;
            }
        }
        return true;
    }
}
