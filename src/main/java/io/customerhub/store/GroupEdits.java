package io.customerhub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.SourceSnapshot.Edit;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The edits of a source record's field groups since the hub first stored it ({@code customer_source.edits}):
 * which change is an edit made in the source system, and which is the echo of the hub's own write.
 * A changed group whose new values are what one of the hub's last writes to that record put there, over
 * the fields the target holds (a target holding only the full name echoes a name whose given and family
 * names the cleanser derives), is an echo, dated as the edit whose value it repeats (the golden record's
 * lineage when the hub wrote it); any other change is an
 * edit, dated when the hub read it, with the fingerprint of the values the record held before (its base):
 * the values last read from it, or last written to it when that came later and the target applied the write
 * when it was delivered (a file handed over is applied when the system imports it). A write whose echo (or a
 * newer write's echo) was read has landed, and so has an applied write over which the target's user edited the
 * group before the hub read it back: its value read again later is a user's edit, not its echo.
 */
final class GroupEdits {

    /** How many writes to one target record are remembered: echoes of older ones may come back after newer ones. */
    static final int REMEMBERED = 4;

    /**
     * What the hub last wrote to a record of a target ({@code sync_state}).
     *
     * @param held      the canonical fields the target holds: the others a record read from it derives or lacks
     * @param writes    its last few writes, newest first
     * @param writtenAt when the newest was written (the hub's time)
     */
    record Written(Set<CanonicalField> held, List<Write> writes, Instant writtenAt) {

        /**
         * The newest write decided after {@code landed} (null: any) whose values {@code record} holds over
         * the fields of {@code group} the target holds, or null.
         */
        Write echoed(FieldGroup group, CustomerRecord record, Instant landed) {
            List<CanonicalField> fields = group.fields().stream().filter(held::contains).toList();
            if (fields.isEmpty()) {
                return null;
            }
            for (Write write : writes) {
                if (landed != null && !write.decidedAt().isAfter(landed)) {
                    return null;
                }
                if (fields.stream().allMatch(field -> Objects.equals(field.textOf(record), write.values().get(field)))) {
                    return write;
                }
            }
            return null;
        }
    }

    /**
     * One write to a target record.
     *
     * @param values    the golden record's values written, canonical texts by field
     * @param decidedAt when the golden record took them (the change's creation)
     * @param times     per field group, when the golden record's value was read as an edit (its lineage)
     * @param applied   whether the target applied it when delivered (a database row, an API call); false for a
     *                  file handed to a system that imports it later, or not at all: the target holds its values
     *                  only once it has been read back
     */
    record Write(Map<CanonicalField, String> values, Instant decidedAt, Map<FieldGroup, Instant> times, boolean applied) {

        /**
         * When the value of {@code group} it wrote was read as an edit: an echo of it ranks as that edit does, so
         * echoes never outrank an edit, and writes (which come after every edit) never make a value newer.
         */
        Instant at(FieldGroup group) {
            return times.getOrDefault(group, decidedAt);
        }
    }

    private GroupEdits() {
    }

    /** {@code flying}'s write (one not yet recorded) before the recorded ones of {@code recorded} (null when none). */
    static Written before(Written flying, Written recorded) {
        if (recorded == null) {
            return flying;
        }
        List<Write> writes = new ArrayList<>(flying.writes());
        writes.addAll(recorded.writes());
        return new Written(recorded.held(), writes, recorded.writtenAt());
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
            Instant landed = edits.containsKey(group) ? edits.get(group).landed() : null;
            if (old.equals(next)) {
                // the record holds what an applied write put there, the value it held already (a write for another
                // group carried it): that write has landed too, so that the value coming back later is a user's edit
                Write kept = written == null ? null : written.echoed(group, after, landed);
                if (kept != null && kept.applied() && !written.writtenAt().isAfter(now)) {
                    Edit edit = edits.get(group);
                    changed.put(group, edit == null ? new Edit(kept.at(group), null, kept.decidedAt())
                            : new Edit(edit.at(), edit.base(), kept.decidedAt()));
                }
                continue;
            }
            Write echo = written == null ? null : written.echoed(group, after, landed);
            if (echo != null) {
                changed.put(group, new Edit(echo.at(group), null, echo.decidedAt()));
            } else {
                Write last = written == null ? null : written.writes().stream().filter(Write::applied).findFirst().orElse(null);
                boolean appliedSinceRead = last != null && written.writtenAt().isAfter(storedAt);
                List<String> base = appliedSinceRead ? group.texts(last.values()) : old;
                // the target applied that write and its user has changed the value since: the write has landed, though
                // its echo was never read, so that its value read again later is the user's edit
                Instant nowLanded = appliedSinceRead && (landed == null || last.decidedAt().isAfter(landed))
                        ? last.decidedAt() : landed;
                changed.put(group, new Edit(now, FieldGroup.hash(base), nowLanded));
            }
        }
        return changed;
    }

    /**
     * The edits of a record the hub reads for the first time, at {@code now}. In a record the hub created
     * there ({@code written} not null), a group holding what the hub wrote is an echo, and a group holding
     * something else over the fields the target holds is an edit made on what the hub wrote.
     */
    static Map<FieldGroup, Edit> first(CustomerRecord record, Written written, Instant now) {
        Map<FieldGroup, Edit> edits = new EnumMap<>(FieldGroup.class);
        if (written != null) {
            for (FieldGroup group : FieldGroup.values()) {
                Write echo = written.echoed(group, record, null);
                if (echo != null) {
                    edits.put(group, new Edit(echo.at(group), null, echo.decidedAt()));
                } else if (group.fields().stream().anyMatch(written.held()::contains)) {
                    edits.put(group, new Edit(now, FieldGroup.hash(group.texts(written.writes().get(0).values())), null));
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
            if (edit.landed() != null) {
                entry.put("landed", edit.landed().toString());
            }
        });
        return node.toString();
    }

    /** The {@code sync_state.written_values} of {@code writes} (newest first; only the first {@link #REMEMBERED} kept). */
    static String writtenJson(Set<CanonicalField> held, List<Write> writes) {
        ObjectNode node = SqlValues.JSON.createObjectNode();
        held.forEach(field -> node.withArray("held").add(field.key()));
        for (Write write : writes.subList(0, Math.min(REMEMBERED, writes.size()))) {
            ObjectNode entry = node.withArray("writes").addObject().put("at", write.decidedAt().toString());
            if (!write.applied()) {
                entry.put("applied", false);
            }
            ObjectNode times = entry.putObject("times");
            write.times().forEach((group, at) -> times.put(group.key(), at.toString()));
            ObjectNode values = entry.putObject("values");
            write.values().forEach((field, text) -> values.put(field.key(), text));
        }
        return node.toString();
    }

    /** {@code sync_state.written_values} read back, written at {@code writtenAt}; null when there is none. */
    static Written written(String json, Instant writtenAt) {
        if (json == null) {
            return null;
        }
        JsonNode node = SqlValues.tree(json);
        Set<CanonicalField> held = EnumSet.noneOf(CanonicalField.class);
        node.path("held").forEach(field -> held.add(CanonicalField.of(field.asText())));
        List<Write> writes = new ArrayList<>();
        node.path("writes").forEach(entry -> {
            Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
            entry.path("values").fields().forEachRemaining(value -> values.put(CanonicalField.of(value.getKey()), value.getValue().asText()));
            Map<FieldGroup, Instant> times = new EnumMap<>(FieldGroup.class);
            entry.path("times").fields().forEachRemaining(time -> times.put(FieldGroup.of(time.getKey()),
                    Instant.parse(time.getValue().asText())));
            writes.add(new Write(values, Instant.parse(entry.path("at").asText()), times, entry.path("applied").asBoolean(true)));
        });
        return writes.isEmpty() ? null : new Written(held, writes, writtenAt);
    }

    /** Per field group, the {@code at} of a {@code customer.lineage} JSON (empty for null). */
    static Map<FieldGroup, Instant> lineageTimes(String lineage) {
        Map<FieldGroup, Instant> times = new EnumMap<>(FieldGroup.class);
        if (lineage != null) {
            SqlValues.tree(lineage).fields().forEachRemaining(entry -> times.put(FieldGroup.of(entry.getKey()),
                    Instant.parse(entry.getValue().path("at").asText())));
        }
        return times;
    }

    /** {@code customer_source.edits} read back. */
    static Map<FieldGroup, Edit> parse(String json) {
        Map<FieldGroup, Edit> edits = new EnumMap<>(FieldGroup.class);
        if (json != null) {
            JsonNode node = SqlValues.tree(json);
            node.fields().forEachRemaining(entry -> edits.put(FieldGroup.of(entry.getKey()), new Edit(
                    Instant.parse(entry.getValue().path("at").asText()),
                    entry.getValue().hasNonNull("base") ? entry.getValue().get("base").asText() : null,
                    entry.getValue().hasNonNull("landed") ? Instant.parse(entry.getValue().get("landed").asText()) : null)));
        }
        return edits;
    }
}
