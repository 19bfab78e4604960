package io.customerhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record as read from a file, before mapping: its tree, or why it could not be read.
 *
 * @param line    the line the record starts on
 * @param tree    the record as a tree (null when unreadable)
 * @param payload the record as received, as JSON text
 * @param error   why the record could not be read, starting with "line N: ", or null
 */
record Row(long line, JsonNode tree, String payload, String error) {

    static Row of(long line, JsonNode tree, String payload) {
        return new Row(line, tree, payload, null);
    }

    static Row unreadable(long line, String payload, String error) {
        return new Row(line, null, payload, "line " + line + ": " + error);
    }

    /**
     * A record for the part of a file after a syntax error, which cannot be split into records.
     * Its payload names the file and line so that two broken files never share a message id.
     */
    static Row rest(long line, String origin, String error) {
        StringBuilder payload = new StringBuilder("{\"origin\":");
        JsonText.quote(payload, origin);
        payload.append(",\"line\":").append(line).append(",\"error\":");
        JsonText.quote(payload, error);
        return unreadable(line, payload.append('}').toString(), error + "; the rest of the file was not read");
    }
}
