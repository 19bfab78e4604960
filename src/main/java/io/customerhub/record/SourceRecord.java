package io.customerhub.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One record as a source delivered it, already mapped to canonical field names but not yet
 * cleansed: the unit the readers produce and the cleansing stage consumes.
 *
 * @param source   the source system's name, e.g. {@code crm}
 * @param origin   where it came from: the file name, or the URL for polled sources
 * @param position the line the record starts on: for CSV the header is line 1 and a record
 *                 after a quoted value spanning lines starts on a later line; for JSON, NDJSON
 *                 and XML the line of the record's opening brace or start tag
 * @param values   the raw mapped values; absent fields are missing, never null-valued
 * @param payload  the record as received (JSON text), kept for the quarantine
 * @param error    why the record could not be parsed at all, or null when it could
 */
public record SourceRecord(
        String source,
        String origin,
        long position,
        Map<CanonicalField, String> values,
        String payload,
        String error) {

    public SourceRecord {
        values = values.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** A record that could not be parsed; it goes to the quarantine with {@code error} as reason. */
    public static SourceRecord unparseable(String source, String origin, long position, String payload, String error) {
        return new SourceRecord(source, origin, position, Map.of(), payload, error);
    }

    public String value(CanonicalField field) {
        return values.get(field);
    }

    public String sourceKey() {
        return values.get(CanonicalField.SOURCE_KEY);
    }

    /**
     * Whether the source marks this record deleted ({@link CanonicalField#DELETED} is a yes of
     * {@link DeletionFlag}): the store then marks its cross-reference DELETED instead of taking its values.
     */
    public boolean deleted() {
        return DeletionFlag.isYes(values.get(CanonicalField.DELETED));
    }

    /**
     * The idempotency key: SHA-256 over the source and every mapped value in field order, so the
     * same record delivered again (in any file, at any position) has the same id, and a changed
     * one a new id; a deletion of an otherwise unchanged record is a new id too. Unparseable records are
     * keyed by their payload.
     */
    public String messageId() {
        MessageDigest digest = sha256();
        update(digest, source);
        if (error != null) {
            update(digest, payload);
        } else {
            for (CanonicalField field : CanonicalField.values()) {
                // the deletion flag came later: absent, it adds nothing, so earlier deliveries keep their ids
                if (field != CanonicalField.DELETED || values.containsKey(field)) {
                    update(digest, values.get(field));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String value) {
        if (value != null) {
            digest.update(value.getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
