package io.customerhub.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The paging helpers of the HTTP source: links, cursors, query strings, without Camel or a server. */
class HttpLinksTest {

    @Test
    void theNextLinkIsFoundAmongOtherRelations() {
        assertThat(HttpLinks.nextLink(List.of("<https://api.example.com/c?page=3>; rel=\"next\", <https://api.example.com/c?page=9>; rel=\"last\"")))
                .isEqualTo("https://api.example.com/c?page=3");
        assertThat(HttpLinks.nextLink(List.of("</c?page=1>; rel=first", "</c?page=2>; title=\"more\"; rel=\"next last\"")))
                .isEqualTo("/c?page=2");
        assertThat(HttpLinks.nextLink(List.of("<https://api.example.com/c?page=1>; rel=\"prev\""))).isNull();
        assertThat(HttpLinks.nextLink(List.of())).isNull();
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

    @ParameterizedTest(name = "{0} before {1}: {2}")
    @CsvSource({
            "2026-11-30T08:00:00Z,          2026-11-30T08:00:01Z,          true",
            "2026-11-30T16:00:00+08:00,     2026-11-30T08:00:01Z,          true",
            "2026-11-30T08:00:00.5Z,        2026-11-30T08:00:00.25Z,       false",
            "2026-11-30 08:00:00,           2026-11-30 08:00:00,           false",
            "2026-11-29,                    2026-11-30,                    true",
            "1764489600,                    1764489601,                    true",
    })
    void aCursorIsBeforeAnotherByTheMomentItNames(String earlier, String later, boolean before) {
        assertThat(new HttpCursor(earlier, null).isBefore(new HttpCursor(later, null))).isEqualTo(before);
    }

    @Test
    void aTimestampThatIsNotIsoCannotBeRewound() {
        assertThatThrownBy(() -> new HttpCursor("30/11/2026 08:00", null).rewound(Duration.ofMinutes(1)))
                .hasMessageContaining("not ISO-8601").hasMessageContaining("PT0S");
        assertThat(new HttpCursor("30/11/2026 08:00", "k").rewound(Duration.ZERO)).isEqualTo(new HttpCursor("30/11/2026 08:00", "k"));
    }

    @Test
    void queryParametersAreAddedEncoded() {
        assertThat(HttpLinks.withQuery(URI.create("https://api.example.com/c?region=cn"),
                Map.of("updated_since", "2026-11-30T08:00:00+08:00")).toString())
                .isEqualTo("https://api.example.com/c?region=cn&updated_since=2026-11-30T08%3A00%3A00%2B08%3A00");
        assertThat(HttpLinks.withQuery(URI.create("https://api.example.com/c"), Map.of()).toString()).isEqualTo("https://api.example.com/c");
    }
}
