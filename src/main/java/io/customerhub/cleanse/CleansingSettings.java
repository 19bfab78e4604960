package io.customerhub.cleanse;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The per-deployment knobs of cleansing ({@code hub.cleanse.*}): which country bare phone numbers
 * belong to, which zone local timestamps are in, how ambiguous dates are read, and which
 * source-specific placeholders mean "no value".
 *
 * @param phoneRegion    ISO 3166-1 alpha-2 region for numbers written without a country code
 * @param timeZone       zone of timestamps written without an offset
 * @param dateOrder      how to read {@code 02/03/1990}
 * @param extraNullLikes placeholders treated as missing in addition to the built-in ones,
 *                       compared case-insensitively
 * @param maxFieldLength  the most characters a field may hold: a record with a longer one is quarantined
 *                        before any cleansing or matching work is done on it
 * @param maxRecordLength the most characters a record may hold as received (its payload, all fields and names
 *                        together, as JSON text): a longer one is quarantined the same way
 * @param phoneAreaCodes  the area code (digits, as dialled within the country, e.g. {@code 010} in China or
 *                        {@code 312} in the US) that local numbers of a source (by its name) lack; under the key
 *                        {@code ""}, that of every source without its own. A number read as invalid is read again
 *                        with it in front
 */
public record CleansingSettings(String phoneRegion, ZoneId timeZone, DateOrder dateOrder, Set<String> extraNullLikes,
                                int maxFieldLength, int maxRecordLength, Map<String, String> phoneAreaCodes) {

    /** Characters a field may hold by default: a long street or company name, not a pasted document. */
    public static final int MAX_FIELD_LENGTH = 1000;
    /** Characters a record may hold by default: a wide row of long values, not a file pasted into one. */
    public static final int MAX_RECORD_LENGTH = 100_000;
    private static final String AREA_CODE = "phone-area-code";
    private static final Set<String> KEYS = Set.of("phone-region", "time-zone", "date-order", "null-likes", "max-field-length",
            "max-record-length", AREA_CODE);
    private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());

    public CleansingSettings {
        Objects.requireNonNull(phoneRegion, "phoneRegion");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(dateOrder, "dateOrder");
        extraNullLikes = Set.copyOf(extraNullLikes);
        phoneAreaCodes = Map.copyOf(phoneAreaCodes);
        if (maxFieldLength < 1 || maxRecordLength < 1) {
            throw new IllegalArgumentException("maxFieldLength and maxRecordLength must be positive, not "
                    + maxFieldLength + " and " + maxRecordLength);
        }
    }

    public CleansingSettings(String phoneRegion, ZoneId timeZone, DateOrder dateOrder, Set<String> extraNullLikes,
                             int maxFieldLength, int maxRecordLength) {
        this(phoneRegion, timeZone, dateOrder, extraNullLikes, maxFieldLength, maxRecordLength, Map.of());
    }

    /** The area code local phone numbers of {@code source} lack, or null when none is configured. */
    public String phoneAreaCode(String source) {
        return phoneAreaCodes.getOrDefault(source, phoneAreaCodes.get(""));
    }

    /**
     * China: region CN, zone Asia/Shanghai, day-month-year, no extra null-likes, fields up to
     * {@value #MAX_FIELD_LENGTH} characters, records up to {@value #MAX_RECORD_LENGTH}.
     */
    public static CleansingSettings defaults() {
        return new CleansingSettings("CN", ZoneId.of("Asia/Shanghai"), DateOrder.DMY, Set.of(), MAX_FIELD_LENGTH, MAX_RECORD_LENGTH);
    }

    /**
     * Settings from configuration keys without their {@code hub.cleanse.} prefix:
     * {@code phone-region}, {@code time-zone}, {@code date-order} ({@code DMY|MDY|YMD}) and
     * {@code null-likes} (comma list), {@code max-field-length}, {@code max-record-length}, and
     * {@code phone-area-code} (every source) or {@code phone-area-code.<source>}. Missing keys keep the defaults; a bad
     * value or an unknown key fails with the key named, so a typo stops the daemon instead of being ignored.
     */
    public static CleansingSettings from(Map<String, String> settings) {
        Map<String, String> areaCodes = new HashMap<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String key = setting.getKey();
            if (key.equals(AREA_CODE) || key.startsWith(AREA_CODE + ".")) {
                String code = setting.getValue() == null ? "" : setting.getValue().strip();
                if (!code.isEmpty()) {
                    if (!code.matches("[0-9]{1,6}")) {
                        throw bad(key, code, "the digits of an area code, such as 010 or 312");
                    }
                    areaCodes.put(key.equals(AREA_CODE) ? "" : key.substring(AREA_CODE.length() + 1), code);
                }
            } else if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting 'hub.cleanse." + key + "'; expected one of " + KEYS);
            }
        }
        CleansingSettings defaults = defaults();
        String region = defaults.phoneRegion();
        ZoneId zone = defaults.timeZone();
        DateOrder order = defaults.dateOrder();
        Set<String> nullLikes = Set.of();
        String value = settings.get("phone-region");
        if (value != null) {
            region = value.trim().toUpperCase(Locale.ROOT);
            if (!REGIONS.contains(region)) {
                throw bad("phone-region", value, "an ISO 3166-1 alpha-2 code such as CN");
            }
        }
        value = settings.get("time-zone");
        if (value != null) {
            try {
                zone = ZoneId.of(value.trim());
            } catch (DateTimeException e) {
                throw bad("time-zone", value, "a zone id such as Asia/Shanghai");
            }
        }
        value = settings.get("date-order");
        if (value != null) {
            try {
                order = DateOrder.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("date-order", value, "one of DMY, MDY, YMD");
            }
        }
        value = settings.get("null-likes");
        if (value != null) {
            nullLikes = Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        }
        int maxFieldLength = characters(settings, "max-field-length", defaults.maxFieldLength());
        int maxRecordLength = characters(settings, "max-record-length", defaults.maxRecordLength());
        return new CleansingSettings(region, zone, order, nullLikes, maxFieldLength, maxRecordLength, areaCodes);
    }

    private static int characters(Map<String, String> settings, String key, int defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        int characters;
        try {
            characters = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            characters = 0;
        }
        if (characters < 1) {
            throw bad(key, value, "a positive number of characters");
        }
        return characters;
    }

    private static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("setting 'hub.cleanse." + key + "' is '" + value + "'; expected " + expected);
    }
}
