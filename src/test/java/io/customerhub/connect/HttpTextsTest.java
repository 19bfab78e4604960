package io.customerhub.connect;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP texts and back-off sources and targets share, without Camel or a server. */
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
    void backOffDoublesHonoursRetryAfterAndIsCapped() {
        Duration delay = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(5);
        assertThat(HttpConnection.delayBefore(1, delay, max, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(HttpConnection.delayBefore(3, delay, max, null)).isEqualTo(Duration.ofMillis(2000));
        assertThat(HttpConnection.delayBefore(10, delay, max, null)).isEqualTo(max);
        assertThat(HttpConnection.delayBefore(1, delay, max, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(HttpConnection.delayBefore(1, delay, max, Duration.ofHours(1))).isEqualTo(max);
    }

    @Test
    void urlsAreShownWithoutCredentials() {
        assertThat(HttpTexts.shown(URI.create("https://u:p@api.example.com:8443/v1/c?region=cn&api_key=abc&accessToken=x&page=2#top")))
                .isEqualTo("https://api.example.com:8443/v1/c?region=cn&api_key=***&accessToken=***&page=2");
    }

    @Test
    void theCharsetComesFromTheContentTypeWhenItNamesOne() {
        assertThat(HttpTexts.charset("application/json; charset=GBK", StandardCharsets.UTF_8).name()).isEqualTo("GBK");
        assertThat(HttpTexts.charset("application/json", StandardCharsets.ISO_8859_1)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(HttpTexts.charset("text/xml; charset=\"nope-42\"", StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
    }
}
