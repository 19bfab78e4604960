package io.customerhub.ingest;

import io.customerhub.mapping.SourcePath;
import io.customerhub.record.SourceRecord;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How the pages of one poll of an HTTP API are asked for: the {@code http-source} template's {@code paging}, one
 * type per mode, holding the parameters that mode uses (and no other). Each poll takes a {@link Walk} of its own,
 * which asks for the first page and, from each page read, for the next one.
 */
sealed interface HttpPaging {

    /** What a mode needs of the poll it pages. */
    interface Poll {

        /** The base URL with the poll's cursor and then {@code query}. */
        URI request(Map<String, String> query);

        /** The base URL asking for the records after {@code last} (its updated-at and key), then {@code query}. */
        URI requestAfter(HttpCursor last, Map<String, String> query);

        /** {@code link} resolved against the page that gave it, refused when it points to another server. */
        URI follow(HttpPageClient.Page answer, String link);

        /** The value at {@code path} in the page's JSON body, or null. */
        String bodyValue(HttpPageClient.Page answer, SourcePath path);

        /** The poll fails on {@code answer}: {@code why}. */
        HttpSourceException failure(HttpPageClient.Page answer, String why);
    }

    /** One poll's way through the pages. */
    interface Walk {

        URI first();

        /** The request after a page of {@code records} (not empty), or null when that page was the last. */
        URI next(HttpPageClient.Page answer, List<SourceRecord> records);

        /** A walk whose next request follows from the page just read alone. */
        static Walk of(URI first, BiFunction<HttpPageClient.Page, List<SourceRecord>, URI> next) {
            return new Walk() {
                @Override
                public URI first() {
                    return first;
                }

                @Override
                public URI next(HttpPageClient.Page answer, List<SourceRecord> records) {
                    return next.apply(answer, records);
                }
            };
        }
    }

    Walk walk(Poll poll);

    /** One request, all records in its answer. */
    record Single() implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return Walk.of(poll.request(Map.of()), (answer, records) -> null);
        }
    }

    /** Numbered pages ({@code page-param}, from {@code first-page}) of {@code page-size} records; a short page is the last. */
    record Numbered(String pageParam, String sizeParam, int size, int firstPage) implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return new Walk() {
                private int page = firstPage;

                @Override
                public URI first() {
                    return request();
                }

                @Override
                public URI next(HttpPageClient.Page answer, List<SourceRecord> records) {
                    page++;
                    return records.size() >= size ? request() : null;
                }

                private URI request() {
                    return poll.request(query(pageParam, Integer.toString(page), sizeParam, Integer.toString(size)));
                }
            };
        }
    }

    /** Pages of {@code page-size} records from an offset ({@code offset-param}); a short page is the last. */
    record Offset(String offsetParam, String limitParam, int size) implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return new Walk() {
                private long offset;

                @Override
                public URI first() {
                    return request();
                }

                @Override
                public URI next(HttpPageClient.Page answer, List<SourceRecord> records) {
                    offset += records.size();
                    return records.size() >= size ? request() : null;
                }

                private URI request() {
                    return poll.request(query(offsetParam, Long.toString(offset), limitParam, Integer.toString(size)));
                }
            };
        }
    }

    /**
     * The URL of the next page from the answer: its {@code Link: <...>; rel="next"} header, or the value at
     * {@code next} in the body when set; the server's page size.
     */
    record NextLink(SourcePath next) implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return Walk.of(poll.request(Map.of()), (answer, records) -> {
                String link = next == null ? HttpLinks.nextLink(answer.headers().allValues("Link")) : poll.bodyValue(answer, next);
                return link == null ? null : poll.follow(answer, link.strip());
            });
        }
    }

    /** An opaque token at {@code next} in the body, sent back as {@code token-param} until there is none. */
    record CursorToken(SourcePath next, String tokenParam, String limitParam, int size) implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return Walk.of(poll.request(query(limitParam, Integer.toString(size))), (answer, records) -> {
                String token = poll.bodyValue(answer, next);
                return token == null ? null : poll.request(query(limitParam, Integer.toString(size), tokenParam, token));
            });
        }
    }

    /** The records after the last one's (updated-at, key), {@code page-size} at a time; a short page is the last. */
    record Keyset(String limitParam, int size) implements HttpPaging {
        @Override
        public Walk walk(Poll poll) {
            return Walk.of(poll.request(query(limitParam, Integer.toString(size))), (answer, records) -> {
                if (records.size() < size) {
                    return null;
                }
                HttpCursor last = HttpCursor.after(records.subList(records.size() - 1, records.size()), true);
                if (last == null) {
                    throw poll.failure(answer, "the last record of the page has no updated-at or key to ask for the next page with");
                }
                return poll.requestAfter(last, query(limitParam, Integer.toString(size)));
            });
        }
    }

    private static Map<String, String> query(String... namesAndValues) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return query;
    }
}
