package io.customerhub.ingest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a URL an HTTP source builds and follows while it pages: the {@code rel="next"}
 * target of a {@code Link} header, and query strings with cursor and paging parameters.
 */
final class HttpLinks {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";,]+)\"?", Pattern.CASE_INSENSITIVE);

    private HttpLinks() {
    }

    /** The target of the {@code rel="next"} link among {@code Link} header values (RFC 8288), or null. */
    static String nextLink(List<String> headers) {
        for (String header : headers) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                // rel may hold several space-separated relation types: rel="next last"
                if (rel.find() && List.of(rel.group(1).strip().toLowerCase(Locale.ROOT).split("\\s+")).contains("next")) {
                    return link.group(1).strip();
                }
            }
        }
        return null;
    }

    /** {@code base} with {@code parameters} added to its query, names and values URL-encoded; null values are left out. */
    static URI withQuery(URI base, Map<String, String> parameters) {
        StringBuilder query = new StringBuilder(base.getRawQuery() == null ? "" : base.getRawQuery());
        parameters.forEach((name, value) -> {
            if (value != null) {
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        String text = base.toString();
        int cut = text.indexOf('?') >= 0 ? text.indexOf('?') : text.indexOf('#') >= 0 ? text.indexOf('#') : text.length();
        return URI.create(text.substring(0, cut) + (query.isEmpty() ? "" : "?" + query));
    }
}
