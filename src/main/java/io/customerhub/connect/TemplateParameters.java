package io.customerhub.connect;

import java.time.Duration;
import java.time.format.DateTimeParseException;
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
