package io.customerhub.ingest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Decides whether a webhook request comes from a sender that holds the shared secret, either as a
 * bearer token or as an HMAC-SHA256 signature of the raw body (GitHub style,
 * {@code X-Hub-Signature-256: sha256=<hex>}). Comparisons take the same time whatever the
 * offered value, so a sender cannot find the secret byte by byte; refusal reasons never contain
 * the secret or the body.
 *
 * <p>With a timestamp header the signed text is {@code <timestamp>.<body>} and a timestamp more
 * than the tolerance away from now is refused, so a captured request cannot be replayed later.
 */
public final class WebhookAuthenticator {

    /** How the sender proves that it holds the secret. */
    public enum Scheme {
        /** the secret itself, as {@code Authorization: Bearer <secret>} or the whole value of another header */
        TOKEN,
        /** HMAC-SHA256 of the body keyed with the secret, hex, with or without a {@code sha256=} prefix */
        HMAC
    }

    private static final String BEARER = "bearer ";
    private static final String SHA256_PREFIX = "sha256=";

    private final Scheme scheme;
    private final byte[] secret;
    private final byte[] secretDigest;
    private final String header;
    private final String timestampHeader;
    private final Duration tolerance;
    private final Clock clock;

    /**
     * @param header          the header carrying the token or the signature
     * @param timestampHeader the header carrying the signing time in Unix seconds (HMAC only), or null
     * @param tolerance       how far that time may be from now
     */
    public WebhookAuthenticator(Scheme scheme, String secret, String header, String timestampHeader,
                                Duration tolerance, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        if (timestampHeader != null && scheme != Scheme.HMAC) {
            throw new IllegalArgumentException("timestamp-header: only for auth hmac");
        }
        this.scheme = scheme;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.secretDigest = sha256(this.secret);
        this.header = header;
        this.timestampHeader = timestampHeader;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** The header whose value this authenticator checks. */
    /**
     * Why the request is refused, or empty when it is authentic.
     *
     * @param headers the request's header values by name (case-insensitive), null when absent
     * @param body    the raw body as received
     */
    public Optional<String> refusal(UnaryOperator<String> headers, byte[] body) {
        String value = headers.apply(header);
        if (value == null || value.isBlank()) {
            return Optional.of("no " + header + " header");
        }
        return scheme == Scheme.TOKEN ? checkToken(value) : checkSignature(value, headers, body);
    }

    private Optional<String> checkToken(String value) {
        String token = value.strip();
        if (header.equalsIgnoreCase("Authorization")) {
            if (!token.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                return Optional.of("the Authorization header is not \"Bearer <token>\"");
            }
            token = token.substring(BEARER.length()).strip();
        }
        return tokenMatches(token) ? Optional.empty() : Optional.of("wrong token");
    }

    /**
     * Constant-time comparison of {@code token} with the secret: both are hashed first, so neither
     * the position of the first differing byte nor the secret's length shows in the time taken.
     */
    public boolean tokenMatches(String token) {
        return MessageDigest.isEqual(secretDigest, sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    private Optional<String> checkSignature(String value, UnaryOperator<String> headers, byte[] body) {
        String hex = value.strip();
        if (hex.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())) {
            hex = hex.substring(SHA256_PREFIX.length());
        }
        byte[] offered;
        try {
            offered = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return Optional.of("the " + header + " header is not a hex HMAC-SHA256 signature");
        }
        if (offered.length != 32) {
            return Optional.of("the " + header + " header is not a hex HMAC-SHA256 signature");
        }
        byte[] signed = body;
        if (timestampHeader != null) {
            String timestamp = headers.apply(timestampHeader);
            Optional<String> stale = checkTimestamp(timestamp);
            if (stale.isPresent()) {
                return stale;
            }
            signed = concat((timestamp.strip() + ".").getBytes(StandardCharsets.US_ASCII), body);
        }
        return MessageDigest.isEqual(hmac(signed), offered) ? Optional.empty() : Optional.of("wrong signature");
    }

    private Optional<String> checkTimestamp(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.of("no " + timestampHeader + " header");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Optional.of("the " + timestampHeader + " header is not a time in Unix seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        return skew > tolerance.toSeconds()
                ? Optional.of("the " + timestampHeader + " time is more than " + tolerance.toSeconds() + " s from now")
                : Optional.empty();
    }

    /** HMAC-SHA256 of {@code content} keyed with the secret: what a sender puts in the signature header, as hex. */
    public String sign(byte[] content) {
        return HexFormat.of().formatHex(hmac(content));
    }

    private byte[] hmac(byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
