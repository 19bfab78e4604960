package io.customerhub.cleanse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a source's "last changed" stamp into an instant: ISO instants and offset date-times,
 * local date-times (with {@code T} or a space) in the configured zone, dates (start of day), and
 * epoch seconds or milliseconds. The stamp decides which of two conflicting edits wins, so a value
 * that is not clearly one of these is rejected rather than guessed.
 */
public final class TimestampParser {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?))? ?(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");
    /** Ten or fewer digits are seconds (until the year 2286); more are milliseconds. */
    private static final int MAX_SECONDS_DIGITS = 10;

    private final ZoneId zone;

    public TimestampParser(ZoneId zone) {
        this.zone = zone;
    }

    /** The instant written in {@code cleaned}, or null when it is in no known form. */
    public Instant parse(String cleaned) {
        if (DateParser.isDigits(cleaned)) {
            if (cleaned.length() > 13) {
                return null;
            }
            long value = Long.parseLong(cleaned);
            return cleaned.length() <= MAX_SECONDS_DIGITS ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
        }
        Matcher m = DATE_TIME.matcher(cleaned);
        if (!m.matches()) {
            return null;
        }
        String time = m.group(2) == null ? "00:00" : m.group(2).replace(',', '.');
        String offset = m.group(3);
        String text = m.group(1) + 'T' + time;
        try {
            if (offset == null) {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            }
            return OffsetDateTime.parse(text + isoOffset(offset)).toInstant();
        } catch (DateTimeParseException e) {
            // the shape matched but a field is out of range, such as month 13
            return null;
        }
    }

    private static String isoOffset(String offset) {
        if (offset.equalsIgnoreCase("z")) {
            return "Z";
        }
        if (offset.length() == 3) {
            return offset + ":00";
        }
        return offset.length() == 5 ? offset.substring(0, 3) + ':' + offset.substring(3) : offset;
    }
}
