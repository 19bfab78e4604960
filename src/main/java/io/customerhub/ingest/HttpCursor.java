package io.customerhub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an HTTP source's reading stands: the raw {@code updated-at} and key values of the last
 * record stored, as the source wrote them, so that they can be sent back to it unchanged. Stored
 * as the source's watermark, a small JSON text: {@code {"updatedAt":"2026-11-30T08:00:00Z","key":"C-17"}}.
 *
 * @param updatedAt the record's mapped {@code updated-at} value
 * @param key       the record's mapped key, or null when the cursor is the timestamp alone
 */
public record HttpCursor(String updatedAt, String key) {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})([Tt ])(\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern EPOCH = Pattern.compile("\\d{1,18}");

    /**
     * The cursor of the last record that has one, or null when none of {@code records} has an
     * {@code updated-at} value (and a key, when {@code withKey}).
     */
    public static HttpCursor after(List<SourceRecord> records, boolean withKey) {
        for (int i = records.size() - 1; i >= 0; i--) {
            String updatedAt = records.get(i).value(CanonicalField.SOURCE_UPDATED_AT);
            String key = records.get(i).sourceKey();
            if (updatedAt != null && (!withKey || key != null)) {
                return new HttpCursor(updatedAt, withKey ? key : null);
            }
        }
        return null;
    }

    /**
     * Reads a stored watermark.
     *
     * @throws IllegalArgumentException when it is not a cursor this class wrote
     */
    public static HttpCursor parse(String watermark) {
        try {
            JsonNode tree = JsonRows.MAPPER.readTree(watermark);
            JsonNode updatedAt = tree == null ? null : tree.get("updatedAt");
            if (updatedAt == null || !updatedAt.isTextual()) {
                throw new IllegalArgumentException("not an HTTP source cursor: " + watermark);
            }
            JsonNode key = tree.get("key");
            return new HttpCursor(updatedAt.asText(), key == null || key.isNull() ? null : key.asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an HTTP source cursor: " + watermark, e);
        }
    }

    /** The watermark text. */
    public String toWatermark() {
        ObjectNode tree = JsonRows.MAPPER.createObjectNode().put("updatedAt", updatedAt);
        if (key != null) {
            tree.put("key", key);
        }
        return tree.toString();
    }

    /**
     * Where a poll starting from this cursor asks from: {@code overlap} earlier and without the key
     * (so every record of that window is read again), or this very cursor when there is no overlap.
     *
     * @throws IllegalArgumentException when the timestamp is not one {@link #minus} understands
     */
    public HttpCursor rewound(Duration overlap) {
        return overlap.isZero() ? this : new HttpCursor(minus(updatedAt, overlap), null);
    }

    /**
     * {@code timestamp} minus {@code amount}, written in the style it came in: an ISO-8601 date-time
     * with or without offset ({@code 2026-11-30T08:00:00Z}, {@code 2026-11-30T16:00:00.250+08:00},
     * {@code 2026-11-30 16:00:00}), keeping its separator, precision and offset as written; a date
     * ({@code 2026-11-30}), moved back by whole days, at least one; or epoch seconds (up to 11
     * digits) or milliseconds (more).
     *
     * @throws IllegalArgumentException for any other text
     */
    public static String minus(String timestamp, Duration amount) {
        String text = timestamp.strip();
        Matcher m = DATE_TIME.matcher(text);
        try {
            if (m.matches()) {
                return dateTimeMinus(m, amount);
            }
            if (DATE.matcher(text).matches()) {
                long days = Math.max(1, (amount.toSeconds() + 86_399) / 86_400);
                return LocalDate.parse(text).minusDays(days).toString();
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cursor timestamp '" + timestamp + "' is not a valid date: " + e.getMessage(), e);
        }
        if (EPOCH.matcher(text).matches()) {
            long value = Long.parseLong(text);
            return Long.toString(text.length() <= 11 ? value - amount.toSeconds() : value - amount.toMillis());
        }
        throw new IllegalArgumentException("cursor timestamp '" + timestamp + "' is not ISO-8601 (date-time, date) or epoch "
                + "seconds/milliseconds, so the overlap cannot be subtracted; set overlap PT0S to send it as it is");
    }

    /**
     * Whether this cursor's time is earlier than {@code other}'s. Both are in the style of one API;
     * texts {@link #minus} does not understand compare as text.
     */
    public boolean isBefore(HttpCursor other) {
        String a = updatedAt.strip();
        String b = other.updatedAt.strip();
        if (EPOCH.matcher(a).matches() && EPOCH.matcher(b).matches() && a.length() == b.length()) {
            return Long.parseLong(a) < Long.parseLong(b);
        }
        Matcher ma = DATE_TIME.matcher(a);
        Matcher mb = DATE_TIME.matcher(b);
        try {
            if (ma.matches() && mb.matches()) {
                return instant(ma).isBefore(instant(mb));
            }
            if (DATE.matcher(a).matches() && DATE.matcher(b).matches()) {
                return LocalDate.parse(a).isBefore(LocalDate.parse(b));
            }
        } catch (DateTimeException e) {
            // not a real date: compare as written
        }
        return a.compareTo(b) < 0;
    }

    /** The moment a matched date-time names; one without offset is read as UTC (one API uses one style). */
    private static Instant instant(Matcher m) {
        String offset = m.group(7);
        ZoneOffset zone = offset == null || offset.equalsIgnoreCase("z") ? ZoneOffset.UTC
                : ZoneOffset.of(offset.length() == 3 ? offset + ":00" : offset.length() == 5
                        ? offset.substring(0, 3) + ":" + offset.substring(3) : offset);
        return local(m).toInstant(zone);
    }

    private static LocalDateTime local(Matcher m) {
        String seconds = m.group(5);
        String fraction = m.group(6);
        return LocalDateTime.of(LocalDate.parse(m.group(1)), LocalTime.of(
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), seconds == null ? 0 : Integer.parseInt(seconds),
                fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9))));
    }

    private static String dateTimeMinus(Matcher m, Duration amount) {
        String seconds = m.group(5);
        String fraction = m.group(6);
        LocalDateTime local = local(m);
        // a fixed offset has no daylight saving, so plain arithmetic on the local part is exact
        LocalDateTime earlier = local.minus(amount);
        StringBuilder out = new StringBuilder(m.group(1).length() + 20)
                .append(earlier.toLocalDate()).append(m.group(2))
                .append(two(earlier.getHour())).append(':').append(two(earlier.getMinute()));
        int nanos = earlier.getNano();
        if (seconds != null || earlier.getSecond() != 0 || nanos != 0) {
            out.append(':').append(two(earlier.getSecond()));
        }
        int digits = fraction == null ? 0 : fraction.length();
        while (digits < 9 && nanos % (int) Math.pow(10, 9 - digits) != 0) {
            digits++;
        }
        if (digits > 0) {
            out.append(fraction == null ? '.' : fractionSeparator(m)).append(String.format("%09d", nanos), 0, digits);
        }
        return m.group(7) == null ? out.toString() : out.append(m.group(7)).toString();
    }

    /** The separator written before the fraction (a dot or, rarely, a comma). */
    private static char fractionSeparator(Matcher m) {
        return m.group(0).charAt(m.start(6) - 1);
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
