package io.customerhub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.SourceSnapshot.Edit;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The edits of a source record's field groups since the hub first stored it ({@code customer_source.edits}):
 * which change is an edit made in the source system, and which is the echo of the hub's own write.
 * A changed group whose new values are what the hub last wrote to that record is an echo, dated when
 * the hub decided that value; any other change is an edit, dated when the hub read it, with the
 * fingerprint of the values the record held before (its base): the values last read from it, or last
 * written to it when that came later.
 */
final class GroupEdits {

    /**
     * What the hub last wrote to a record of a target ({@code sync_state}).
     *
     * @param values    the canonical values written, by field
     * @param decidedAt when the golden record took these values (the outbox row's creation)
     * @param writtenAt when they were written
     */
    record Written(Map<CanonicalField, String> values, Instant decidedAt, Instant writtenAt) {
    }

    private GroupEdits() {
    }

    /**
     * {@code edits} after the record's values went from {@code before} (stored at {@code storedAt}) to
     * {@code after}, read at {@code now}; {@code written} is what the hub last wrote there, or null.
     */
    static Map<FieldGroup, Edit> after(Map<FieldGroup, Edit> edits, CustomerRecord before, Instant storedAt,
                                       CustomerRecord after, Written written, Instant now) {
        Map<FieldGroup, Edit> changed = new EnumMap<>(FieldGroup.class);
        changed.putAll(edits);
        for (FieldGroup group : FieldGroup.values()) {
            List<String> old = group.texts(before);
            List<String> next = group.texts(after);
            if (old.equals(next)) {
                continue;
            }
            if (written != null && group.texts(written.values()).equals(next)) {
                changed.put(group, new Edit(written.decidedAt(), null));
            } else {
                List<String> base = written != null && written.writtenAt().isAfter(storedAt) ? group.texts(written.values()) : old;
                changed.put(group, new Edit(now, FieldGroup.hash(base)));
            }
        }
        return changed;
    }

    /** The edits of a record the hub reads for the first time: the groups that hold what the hub wrote there are echoes. */
    static Map<FieldGroup, Edit> first(CustomerRecord record, Written written) {
        Map<FieldGroup, Edit> edits = new EnumMap<>(FieldGroup.class);
        if (written != null) {
            for (FieldGroup group : FieldGroup.values()) {
                if (group.texts(written.values()).equals(group.texts(record))) {
                    edits.put(group, new Edit(written.decidedAt(), null));
                }
            }
        }
        return edits;
    }

    /** The {@code customer_source.edits} text of {@code edits}; null when there are none. */
    static String json(Map<FieldGroup, Edit> edits) {
        if (edits.isEmpty()) {
            return null;
        }
        ObjectNode node = SqlValues.JSON.createObjectNode();
        edits.forEach((group, edit) -> {
            ObjectNode entry = node.putObject(group.key()).put("at", edit.at().toString());
            if (edit.base() != null) {
                entry.put("base", edit.base());
            }
        });
        return node.toString();
    }

    /** {@code customer_source.edits} read back. */
    static Map<FieldGroup, Edit> parse(String json) {
        Map<FieldGroup, Edit> edits = new EnumMap<>(FieldGroup.class);
        if (json != null) {
            JsonNode node = SqlValues.tree(json);
            node.fields().forEachRemaining(entry -> edits.put(FieldGroup.of(entry.getKey()), new Edit(
                    Instant.parse(entry.getValue().path("at").asText()),
                    entry.getValue().hasNonNull("base") ? entry.getValue().get("base").asText() : null)));
        }
        return edits;
    }
}
