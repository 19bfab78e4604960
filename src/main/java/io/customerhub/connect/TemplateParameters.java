package io.customerhub.connect;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the source and target beans read the text Camel hands them from route template parameters. A template
 * parameter cannot default to an empty string, so {@code "-"} stands for "not set".
 */
public final class TemplateParameters {

    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private TemplateParameters() {
    }

    /** {@code parameter}, or {@code ""} when it is null or {@code "-"}. */
    public static String unset(String parameter) {
        return parameter == null || "-".equals(parameter.strip()) ? "" : parameter;
    }

    /** Whether {@code parameter} has a value: neither null, blank nor {@code "-"}. */
    public static boolean isSet(String parameter) {
        return !unset(parameter).isBlank();
    }

    /**
     * {@code value} as a duration that is not negative, such as an overlap window.
     *
     * @throws IllegalArgumentException naming {@code parameter} when it is not an ISO-8601 duration or is negative
     */
    public static Duration nonNegativeDuration(String parameter, String value) {
        Duration duration;
        try {
            duration = Duration.parse(String.valueOf(value).strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(parameter + ": '" + value + "' is not an ISO-8601 duration such as PT5M", e);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(parameter + ": must not be negative");
        }
        return duration;
    }

    /**
     * The constant of {@code type} that {@code value} names in kebab case ({@code next-link} for {@code NEXT_LINK}),
     * whatever its case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming {@code parameter} and the values it takes
     */
    public static <E extends Enum<E>> E choice(String parameter, String value, Class<E> type) {
        String named = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(constant -> kebabCase(constant).equals(named)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(parameter + ": " + refusal(value, type)));
    }

    /** Why {@code value} names no constant of {@code type} (the values it takes), or null when it names one. */
    public static String refusal(String value, Class<?> type) {
        String named = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        List<String> names = Arrays.stream(type.getEnumConstants()).map(constant -> kebabCase((Enum<?>) constant)).toList();
        return names.contains(named) ? null : "expected one of " + String.join(", ", names) + " but was '" + value + "'";
    }

    /** {@code constant} as routes write it: in lower case, words joined by hyphens ({@code next-link}). */
    public static String kebabCase(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Checks a {@code source} parameter that must be a kebab-case system name ({@code erp},
     * {@code sales-eu}), as where it names a pool or a table.
     *
     * @throws IllegalArgumentException naming the parameter
     */
    public static void checkKebabCase(String source) {
        if (source == null || !KEBAB_CASE.matcher(source).matches()) {
            throw new IllegalArgumentException("source: '" + source + "' is not a kebab-case source name");
        }
    }
}
