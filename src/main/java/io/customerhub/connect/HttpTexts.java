package io.customerhub.connect;

import java.net.URI;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pieces of HTTP that API sources and targets read as text: the {@code Retry-After} header, the
 * charset of a {@code Content-Type}, the start of an answer for an error message, and URLs made fit
 * for logs and for the origin of records (credentials and secret-looking query values masked).
 */
public final class HttpTexts {

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]+)\"?", Pattern.CASE_INSENSITIVE);
    /** Query parameter names (lower case, without - _ .) whose values are credentials often enough to be masked wherever a URL is shown. */
    private static final Set<String> SECRET_NAMES = Set.of("key", "apikey", "token", "accesstoken",
            "authtoken", "secret", "clientsecret", "password", "passwd", "pwd", "signature", "sig", "auth", "authorization",
            "session", "sessionid", "sid", "credential", "credentials", "code");

    private HttpTexts() {
    }

    /**
     * How long a {@code Retry-After} header asks to wait: delay-seconds or an HTTP-date (past dates
     * wait nothing); null when the header is absent or unreadable.
     */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Duration.ofSeconds(999_999_999) : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The charset a {@code Content-Type} names, or {@code fallback} when it names none (or an unknown one). */
    public static Charset charset(String contentType, Charset fallback) {
        if (contentType == null) {
            return fallback;
        }
        Matcher m = CHARSET.matcher(contentType);
        if (!m.find()) {
            return fallback;
        }
        try {
            return Charset.forName(m.group(1));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /**
     * {@code uri} as it may be shown in logs, errors and record origins: without user info and
     * fragment, and with the values of query parameters named like credentials ({@code api_key},
     * {@code token}, {@code signature}, ...) replaced by {@code ***}.
     */
    public static String shown(URI uri) {
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            out.append(uri.getHost());
            if (uri.getPort() >= 0) {
                out.append(':').append(uri.getPort());
            }
        }
        out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            out.append('?');
            String[] pairs = query.split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                int eq = pairs[i].indexOf('=');
                String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
                out.append(i == 0 ? "" : "&").append(eq >= 0 && secret(name) ? name + "=***" : pairs[i]);
            }
        }
        return out.toString();
    }

    /** Whether a query parameter name is one credentials travel in: {@code api_key}, {@code access-token}, {@code sig}, ... */
    private static boolean secret(String name) {
        return SECRET_NAMES.contains(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", ""));
    }

    /** The start of a response body for an error message: one line, at most {@code max} characters. */
    static String excerpt(byte[] body, Charset charset, int max) {
        String text = new String(body, 0, Math.min(body.length, max * 4), charset).replaceAll("\\s+", " ").strip();
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
