package io.customerhub.store;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** The hashes the store keeps of a record: its content hash and, compacted, its message id. */
public final class RecordHashes {

    private RecordHashes() {
    }

    /**
     * SHA-256 (hex) over the normalized values of a record, in {@link CanonicalField} order: equal
     * hashes mean equal content. Excludes the key, {@code sourceUpdatedAt} (a new timestamp alone is
     * no change) and {@code phoneRaw} (a differently formatted but equal number is no change).
     */
    public static String contentHash(CustomerRecord record) {
        MessageDigest digest = sha256();
        for (ValueColumn column : ValueColumn.values()) {
            String text = column.text(record);
            if (text == null && column == ValueColumn.CUSTOMER_TYPE) {
                // a person: hashed as before the column was added, so that stored hashes stay valid
                continue;
            }
            // a marker byte keeps null and "" apart
            if (text == null) {
                digest.update((byte) 0);
            } else {
                digest.update((byte) 1);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The first 16 bytes of a SHA-256 (hex) as a UUID: what the store keeps of message ids and content
     * hashes. 128 bits tell records apart as well, and a UUID column is stored and compared as two
     * longs, where 64 characters of hex made every index page four times fuller and slower to write.
     */
    static UUID compact(String sha256Hex) {
        return new UUID(Long.parseUnsignedLong(sha256Hex, 0, 16, 16), Long.parseUnsignedLong(sha256Hex, 16, 32, 16));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
