package io.customerhub.cleanse;

import java.time.LocalDate;
import java.time.Year;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads calendar dates in the forms sources write them: ISO and compact ISO, year-first with
 * {@code /} or {@code .}, day-and-month-first with the order taken from {@link DateOrder},
 * Chinese {@code 1990年1月2日}, English {@code 2 January 1990} and {@code Jan 2, 1990}, and ISO
 * date-times (the date part). Values are matched against precompiled patterns and checked field
 * by field, so bad data costs no exception.
 */
public final class DateParser {

    private static final Pattern YEAR_FIRST = Pattern.compile("(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})");
    private static final Pattern YEAR_LAST = Pattern.compile("(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4})");
    private static final Pattern CHINESE = Pattern.compile("(\\d{4}) ?年 ?(\\d{1,2}) ?月 ?(\\d{1,2}) ?[日号]?");
    private static final Pattern DAY_MONTH_NAME = Pattern.compile("(\\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\\.?,? (\\d{4})");
    private static final Pattern MONTH_NAME_DAY = Pattern.compile("([A-Za-z]{3,9})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})");
    private static final Pattern ISO_DATE_TIME = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[T ]\\d{2}:\\d{2}.*");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("january", 1), Map.entry("feb", 2), Map.entry("february", 2),
            Map.entry("mar", 3), Map.entry("march", 3), Map.entry("apr", 4), Map.entry("april", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("june", 6), Map.entry("jul", 7),
            Map.entry("july", 7), Map.entry("aug", 8), Map.entry("august", 8), Map.entry("sep", 9),
            Map.entry("sept", 9), Map.entry("september", 9), Map.entry("oct", 10), Map.entry("october", 10),
            Map.entry("nov", 11), Map.entry("november", 11), Map.entry("dec", 12), Map.entry("december", 12));

    private final DateOrder order;

    public DateParser(DateOrder order) {
        this.order = order;
    }

    /** The date written in {@code cleaned}, or null when it is in no known form or not a real date. */
    public LocalDate parse(String cleaned) {
        int length = cleaned.length();
        if (length == 8 && isDigits(cleaned)) {
            return date(number(cleaned, 0, 4), number(cleaned, 4, 6), number(cleaned, 6, 8));
        }
        Matcher m = YEAR_FIRST.matcher(cleaned);
        if (m.matches()) {
            return date(m.group(1), m.group(3), m.group(4));
        }
        m = YEAR_LAST.matcher(cleaned);
        if (m.matches()) {
            return dayMonthYear(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        }
        m = ISO_DATE_TIME.matcher(cleaned);
        if (m.matches()) {
            return date(m.group(1), m.group(2), m.group(3));
        }
        m = CHINESE.matcher(cleaned);
        if (m.matches()) {
            return date(m.group(1), m.group(2), m.group(3));
        }
        m = DAY_MONTH_NAME.matcher(cleaned);
        if (m.matches()) {
            return named(m.group(3), m.group(2), m.group(1));
        }
        m = MONTH_NAME_DAY.matcher(cleaned);
        if (m.matches()) {
            return named(m.group(3), m.group(1), m.group(2));
        }
        return null;
    }

    /**
     * A value whose first or second number exceeds 12 can only be read one way, whatever the
     * configured order; only truly ambiguous values follow it.
     */
    private LocalDate dayMonthYear(int first, int second, int year) {
        boolean monthFirst = order == DateOrder.MDY;
        if (first > 12) {
            monthFirst = false;
        } else if (second > 12) {
            monthFirst = true;
        }
        return monthFirst ? date(year, first, second) : date(year, second, first);
    }

    private static LocalDate named(String year, String monthName, String day) {
        Integer month = MONTHS.get(monthName.toLowerCase(Locale.ROOT));
        return month == null ? null : date(Integer.parseInt(year), month, Integer.parseInt(day));
    }

    private static LocalDate date(String year, String month, String day) {
        return date(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
    }

    private static LocalDate date(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1) {
            return null;
        }
        int monthLength = month == 2 ? (Year.isLeap(year) ? 29 : 28)
                : (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
        return day > monthLength ? null : LocalDate.of(year, month, day);
    }

    static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static int number(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }
}
