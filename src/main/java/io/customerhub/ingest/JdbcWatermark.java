package io.customerhub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.connect.SqlType;

/**
 * How far a {@code jdbc-source} has been read: the updated-at and key of the last row of the last
 * stored batch, as the JSON text kept in {@code source_watermark}, e.g.
 * {@code {"at":"2026-12-01T08:00:00.123456","atType":"timestamp","key":"1042","keyType":"integer"}}.
 * The types say how to bind the values back ({@code key > 1042}, not {@code key > '1042'}).
 *
 * <p>A batch of rows re-read before the watermark (the overlap: a late commit, a row changed in
 * place) leaves the position as it is and carries a {@code "pass"} number instead, so that the
 * watermark stored after it names that batch: the reader then knows which of the rows it handed
 * on were stored ({@link OverlapFilter}). Reading ignores it.
 */
record JdbcWatermark(ColumnValue at, ColumnValue key) {

    /** The width of {@code source_watermark.watermark}. */
    private static final int MAX_LENGTH = 4000;

    JdbcWatermark {
        if (!at.kind().isTime()) {
            throw new IllegalArgumentException("the updated column must be a timestamp or a date, not " + at.kind().label());
        }
    }

    String encode() {
        return encode(node());
    }

    /** This position, marked as the watermark of the batch number {@code pass} of re-read rows. */
    String encode(long pass) {
        return encode(node().put("pass", Long.toString(pass)));
    }

    private ObjectNode node() {
        return JsonRows.MAPPER.createObjectNode()
                .put("at", at.text()).put("atType", at.kind().label())
                .put("key", key.text()).put("keyType", key.kind().label());
    }

    private String encode(ObjectNode node) {
        String text = node.toString();
        if (text.length() > MAX_LENGTH) {
            throw new IllegalStateException("the key " + key.text().substring(0, 40) + "... is too long for a watermark");
        }
        return text;
    }

    /**
     * Reads a stored watermark.
     *
     * @throws IllegalArgumentException when it is not one this template wrote
     */
    static JdbcWatermark decode(String text) {
        JsonNode node;
        try {
            node = JsonRows.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("watermark is not JSON: " + text, e);
        }
        for (String field : new String[] {"at", "atType", "key", "keyType"}) {
            if (node == null || !node.path(field).isTextual()) {
                throw new IllegalArgumentException("watermark " + text + " has no " + field
                        + " (is it another template's? reset it in source_watermark)");
            }
        }
        return new JdbcWatermark(
                new ColumnValue(SqlType.ofLabel(node.get("atType").asText()), node.get("at").asText()),
                new ColumnValue(SqlType.ofLabel(node.get("keyType").asText()), node.get("key").asText()));
    }

    /** Whether this position is before {@code other}: an earlier time, or the same time and a lower key. */
    boolean isBefore(JdbcWatermark other) {
        return at.isBefore(other.at) || !other.at.isBefore(at) && key.isBefore(other.key);
    }
}
