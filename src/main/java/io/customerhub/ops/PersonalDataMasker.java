package io.customerhub.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in text bound for logs: e-mail addresses keep their first character and
 * domain, and any run of seven or more digits (phones, national ids, account numbers, with
 * spaces, dashes or a trailing X inside) keeps only its last four characters, unless it is part of a name (a temporary
 * folder {@code junit-1951838006925355520}, an error code glued to letters); ISO dates are left alone, and so are
 * compact dates and timestamps standing alone ({@code 20261125}, {@code 20261206-075733466} in a file name).
 */
public final class PersonalDataMasker {

    private static final Pattern EMAIL = Pattern.compile("([\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]*@([\\p{L}\\p{N}.-]+\\.[\\p{L}]{2,})");
    private static final Pattern DIGITS = Pattern.compile("\\+?\\d(?:[ -]?\\d){5,}[\\dXx]");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern COMPACT_DATE = Pattern.compile("(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(?:[-T]\\d{6,9})?");

    private PersonalDataMasker() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = EMAIL.matcher(text).replaceAll("$1***@$2");
        Matcher digits = DIGITS.matcher(masked);
        StringBuilder out = new StringBuilder(masked.length());
        while (digits.find()) {
            String run = digits.group();
            String replacement = DATE.matcher(run).lookingAt() || COMPACT_DATE.matcher(run).matches() // a timestamp
                    || partOfName(masked, digits.start(), digits.end())
                    ? run
                    : "*".repeat(run.length() - 4) + run.substring(run.length() - 4);
            digits.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        digits.appendTail(out);
        return out.toString();
    }

    /**
     * Whether the digits at {@code start..end} are part of a name rather than a value: glued to a letter or an
     * underscore ({@code ERROR90121}, {@code 123abc}) Latin letter, or to a word by a dash or dot ({@code junit-1951838006925355520},
     * {@code v.2024060112}). A phone or id written in a log stands apart, after a space, a colon or an equals sign.
     */
    private static boolean partOfName(String text, int start, int end) {
        char before = start > 0 ? text.charAt(start - 1) : ' ';
        char after = end < text.length() ? text.charAt(end) : ' ';
        boolean glued = latin(before) || before == '_' || latin(after) || after == '_';
        boolean joined = (before == '-' || before == '.') && start > 1 && latin(text.charAt(start - 2));
        return glued || joined;
    }

    /** A Latin letter: names are written so; Chinese text glues phone numbers to its words (手机13800138000). */
    private static boolean latin(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
