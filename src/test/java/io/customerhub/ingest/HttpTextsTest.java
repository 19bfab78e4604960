package io.customerhub.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text helpers of the HTTP source: headers, cursors, back-off, URLs, without Camel or a server. */
class HttpTextsTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(HttpTexts.retryAfter("1", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpTexts.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpTexts.retryAfter("Tue, 01 Dec 2026 10:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpTexts.retryAfter("Tue, 01 Dec 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpTexts.retryAfter("soon", NOW)).isNull();
        assertThat(HttpTexts.retryAfter(null, NOW)).isNull();
    }

    @Test
    void theNextLinkIsFoundAmongOtherRelations() {
        assertThat(HttpTexts.nextLink(List.of("<https://api.example.com/c?page=3>; rel=\"next\", <https://api.example.com/c?page=9>; rel=\"last\"")))
                .isEqualTo("https://api.example.com/c?page=3");
        assertThat(HttpTexts.nextLink(List.of("</c?page=1>; rel=first", "</c?page=2>; title=\"more\"; rel=\"next last\"")))
                .isEqualTo("/c?page=2");
        assertThat(HttpTexts.nextLink(List.of("<https://api.example.com/c?page=1>; rel=\"prev\""))).isNull();
        assertThat(HttpTexts.nextLink(List.of())).isNull();
    }

    @Test
    void backOffDoublesHonoursRetryAfterAndIsCapped() {
        Duration delay = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(5);
        assertThat(HttpPageClient.delayBefore(1, delay, max, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(HttpPageClient.delayBefore(3, delay, max, null)).isEqualTo(Duration.ofMillis(2000));
        assertThat(HttpPageClient.delayBefore(10, delay, max, null)).isEqualTo(max);
        assertThat(HttpPageClient.delayBefore(1, delay, max, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(HttpPageClient.delayBefore(1, delay, max, Duration.ofHours(1))).isEqualTo(max);
    }

    @Test
    void cursorsRoundTripThroughTheirWatermarkText() {
        HttpCursor cursor = new HttpCursor("2026-11-30T08:00:00Z", "C\"17");
        assertThat(HttpCursor.parse(cursor.toWatermark())).isEqualTo(cursor);
        assertThat(HttpCursor.parse("{\"updatedAt\":\"2026-11-30\"}")).isEqualTo(new HttpCursor("2026-11-30", null));
        assertThatThrownBy(() -> HttpCursor.parse("42")).hasMessageContaining("not an HTTP source cursor");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-30T08:00:00Z           | PT5M  | 2026-11-30T07:55:00Z",
            "2026-11-30T08:00Z              | PT5M  | 2026-11-30T07:55Z",
            "2026-11-30T00:02:00.250+08:00  | PT5M  | 2026-11-29T23:57:00.250+08:00",
            "2026-11-30 16:00:00            | PT1H  | 2026-11-30 15:00:00",
            "2026-11-30T16:00:00.123456789  | PT1S  | 2026-11-30T15:59:59.123456789",
            "2026-11-30T16:00:00+0800       | PT0.5S | 2026-11-30T15:59:59.5+0800",
            "2026-11-30                     | PT5M  | 2026-11-29",
            "2026-11-30                     | P2DT1H | 2026-11-27",
            "1764489600                     | PT1M  | 1764489540",
            "1764489600000                  | PT1M  | 1764489540000",
    })
    void theOverlapIsSubtractedInTheTimestampsOwnStyle(String timestamp, String overlap, String expected) {
        assertThat(HttpCursor.minus(timestamp, Duration.parse(overlap))).isEqualTo(expected);
    }

    @Test
    void aTimestampThatIsNotIsoCannotBeRewound() {
        assertThatThrownBy(() -> new HttpCursor("30/11/2026 08:00", null).rewound(Duration.ofMinutes(1)))
                .hasMessageContaining("not ISO-8601").hasMessageContaining("PT0S");
        assertThat(new HttpCursor("30/11/2026 08:00", "k").rewound(Duration.ZERO)).isEqualTo(new HttpCursor("30/11/2026 08:00", "k"));
    }

    @Test
    void urlsAreShownWithoutCredentials() {
        assertThat(HttpTexts.shown(URI.create("https://u:p@api.example.com:8443/v1/c?region=cn&api_key=abc&accessToken=x&page=2#top")))
                .isEqualTo("https://api.example.com:8443/v1/c?region=cn&api_key=***&accessToken=***&page=2");
    }

    @Test
    void queryParametersAreAddedEncoded() {
        assertThat(HttpTexts.withQuery(URI.create("https://api.example.com/c?region=cn"),
                Map.of("updated_since", "2026-11-30T08:00:00+08:00")).toString())
                .isEqualTo("https://api.example.com/c?region=cn&updated_since=2026-11-30T08%3A00%3A00%2B08%3A00");
        assertThat(HttpTexts.withQuery(URI.create("https://api.example.com/c"), Map.of()).toString()).isEqualTo("https://api.example.com/c");
    }

    @Test
    void theCharsetComesFromTheContentTypeWhenItNamesOne() {
        assertThat(HttpTexts.charset("application/json; charset=GBK", StandardCharsets.UTF_8).name()).isEqualTo("GBK");
        assertThat(HttpTexts.charset("application/json", StandardCharsets.ISO_8859_1)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(HttpTexts.charset("text/xml; charset=\"nope-42\"", StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
    }
}
