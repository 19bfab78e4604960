package io.customerhub.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookAuthenticatorTest {

    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private static WebhookAuthenticator hmac(String secret) {
        return new WebhookAuthenticator(WebhookAuthenticator.Scheme.HMAC, secret, "X-Hub-Signature-256", null, Duration.ofMinutes(5), NOW);
    }

    private static WebhookAuthenticator token(String secret, String header) {
        return new WebhookAuthenticator(WebhookAuthenticator.Scheme.TOKEN, secret, header, null, Duration.ofMinutes(5), NOW);
    }

    private static UnaryOperator<String> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map::get;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signatureMatchesGithubsPublishedTestVector() {
        // docs.github.com, "Validating webhook deliveries": the secret, the payload and the expected signature
        WebhookAuthenticator github = hmac("It's a Secret to Everybody");
        String expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(github.sign(bytes("Hello, World!"))).isEqualTo(expected);
        assertThat(github.refusal(headers("X-Hub-Signature-256", "sha256=" + expected), bytes("Hello, World!"))).isEmpty();
    }

    @Test
    void signatureMatchesRfc4231TestCase2() {
        assertThat(hmac("Jefe").sign(bytes("what do ya want for nothing?")))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void signatureIsAcceptedWithoutPrefixAndInUpperCase() {
        String hex = hmac("Jefe").sign(bytes("body"));
        assertThat(hmac("Jefe").refusal(headers("x-hub-signature-256", hex.toUpperCase()), bytes("body"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256=", "sha256=zz", "sha256=abcd", "md5=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"})
    void malformedSignatureIsRefused(String value) {
        assertThat(hmac("Jefe").refusal(headers("X-Hub-Signature-256", value), bytes("body"))).isPresent();
    }

    @Test
    void signatureOfAnotherBodyOrKeyIsRefused() {
        String signature = "sha256=" + hmac("Jefe").sign(bytes("body"));
        assertThat(hmac("Jefe").refusal(headers("X-Hub-Signature-256", signature), bytes("body!"))).hasValue("wrong signature");
        assertThat(hmac("Jeff").refusal(headers("X-Hub-Signature-256", signature), bytes("body"))).hasValue("wrong signature");
        assertThat(hmac("Jefe").refusal(headers(), bytes("body"))).hasValue("no X-Hub-Signature-256 header");
    }

    @Test
    void timestampIsSignedWithTheBodyAndMustBeRecent() {
        WebhookAuthenticator stamped = new WebhookAuthenticator(WebhookAuthenticator.Scheme.HMAC, "Jefe",
                "X-Signature", "X-Timestamp", Duration.ofMinutes(5), NOW);
        long now = NOW.instant().getEpochSecond();
        String fresh = stamped.sign(bytes(now + ".body"));

        assertThat(stamped.refusal(headers("X-Signature", fresh, "X-Timestamp", String.valueOf(now)), bytes("body"))).isEmpty();
        // the same signature with another time: the time is part of what is signed
        assertThat(stamped.refusal(headers("X-Signature", fresh, "X-Timestamp", String.valueOf(now + 1)), bytes("body")))
                .hasValue("wrong signature");
        String old = stamped.sign(bytes((now - 301) + ".body"));
        assertThat(stamped.refusal(headers("X-Signature", old, "X-Timestamp", String.valueOf(now - 301)), bytes("body")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("300 s"));
        assertThat(stamped.refusal(headers("X-Signature", fresh), bytes("body"))).hasValue("no X-Timestamp header");
        assertThat(stamped.refusal(headers("X-Signature", fresh, "X-Timestamp", "yesterday"), bytes("body"))).isPresent();
    }

    @Test
    void bearerTokenIsComparedWithTheSecret() {
        WebhookAuthenticator bearer = token("t0ken", "Authorization");

        assertThat(bearer.refusal(headers("Authorization", "Bearer t0ken"), new byte[0])).isEmpty();
        assertThat(bearer.refusal(headers("authorization", "bearer  t0ken "), new byte[0])).isEmpty();
        assertThat(bearer.refusal(headers("Authorization", "Bearer t0ke"), new byte[0])).hasValue("wrong token");
        assertThat(bearer.refusal(headers("Authorization", "t0ken"), new byte[0])).isPresent();
        assertThat(bearer.refusal(headers("Authorization", "Basic dDBrZW4="), new byte[0])).isPresent();
        assertThat(bearer.refusal(headers(), new byte[0])).hasValue("no Authorization header");
    }

    @Test
    void tokenInAnotherHeaderIsTheWholeValue() {
        WebhookAuthenticator custom = token("t0ken", "X-Webhook-Token");
        assertThat(custom.refusal(headers("X-Webhook-Token", "t0ken"), new byte[0])).isEmpty();
        assertThat(custom.refusal(headers("X-Webhook-Token", "Bearer t0ken"), new byte[0])).hasValue("wrong token");
    }

    @Test
    void tokenComparisonDependsOnTheWholeValueOnly() {
        WebhookAuthenticator bearer = token("correct horse battery staple", "Authorization");
        // prefixes, extensions and same-length neighbours all fail: the digests are compared, not the strings
        assertThat(bearer.tokenMatches("correct horse battery staple")).isTrue();
        assertThat(bearer.tokenMatches("correct horse battery stapl")).isFalse();
        assertThat(bearer.tokenMatches("correct horse battery staple!")).isFalse();
        assertThat(bearer.tokenMatches("correct horse battery staplf")).isFalse();
        assertThat(bearer.tokenMatches("")).isFalse();
    }

    @Test
    void emptySecretIsRejectedAndRefusalsNeverNameIt() {
        assertThatThrownBy(() -> hmac("")).isInstanceOf(IllegalArgumentException.class);
        WebhookAuthenticator bearer = token("hush-hush", "Authorization");
        assertThat(bearer.refusal(headers("Authorization", "Bearer hush"), new byte[0]))
                .hasValueSatisfying(reason -> assertThat(reason).doesNotContain("hush"));
    }
}
