package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.match.MatchSettings;
import io.customerhub.merge.Conflict;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.GoldenRecord;
import io.customerhub.merge.Lineage;
import io.customerhub.merge.SourceSnapshot;
import io.customerhub.merge.Survivorship;
import io.customerhub.merge.SurvivorshipRule;
import io.customerhub.record.CustomerRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The golden-record work beyond storing a batch, each step inside the caller's transaction: the
 * merge stage's recompute of a golden record from the snapshots of its source records, the merge of
 * two golden records into one, the unmerge of a source record or of a whole golden record, and the
 * explanation of a golden record. Ids never change: a merge keeps the older golden record and marks
 * the other {@code MERGED} with {@code merged_into}; an unmerge gives a source record back the golden
 * record it started ({@code own_customer_id}), or a new one.
 */
final class GoldenRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT_MEMBERS = "SELECT source, source_key, source_updated_at, phone_raw, updated_at, "
            + ValueColumn.NAMES + ", status, customer_id, first_seen_at, edits FROM customer_source WHERE ";
    private static final String SELECT_CUSTOMER = "SELECT status, lineage, " + ValueColumn.NAMES + " FROM customer WHERE id = ?";

    /**
     * The fixed order survivorship breaks ties by: the record first stored last first, then the row
     * stored last, then by key.
     */
    private static final Comparator<Member> NEWEST_FIRST = Comparator
            .comparing((Member m) -> m.snapshot().at())
            .thenComparing(Member::storedAt)
            .reversed()
            .thenComparing(m -> m.snapshot().values().source())
            .thenComparing(m -> m.snapshot().values().sourceKey());

    private final Survivorship survivorship;
    private final SyncOutbox outbox;

    GoldenRecords(Survivorship survivorship, SyncOutbox outbox) {
        this.survivorship = survivorship;
        this.outbox = outbox;
    }

    /** A source record of a golden record, read back from {@code customer_source}; deleted ones contribute nothing. */
    private record Member(SourceSnapshot snapshot, Instant storedAt, boolean deleted) {
    }

    /** The cause of a recompute that history names: the source record and its delivery. */
    private record Cause(String source, String sourceKey, String origin, Long position) {
        static final Cause NONE = new Cause(null, null, null, null);
    }

    /** A golden record as stored before a recompute. */
    private record Stored(String status, String lineage, CustomerRecord values) {
    }

    /**
     * The merge stage: recomputes golden records {@code ids} from their active source records by the
     * survivorship rules, logs an UPDATE naming the last pending cause of each whose values or status
     * change, and clears their pending entries. Each table is read and written in batches, not per
     * golden record. A golden record none of whose records is active becomes DELETED with its last
     * values; when one is again, ACTIVE. One merged away meanwhile has nothing to recompute.
     */
    void recomputePending(Connection connection, Collection<String> ids, Instant now) throws SQLException {
        List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
        Map<String, Cause> causes = new LinkedHashMap<>();
        sorted.forEach(id -> causes.put(id, Cause.NONE));
        Map<String, Long> latest = new HashMap<>();
        Transactions.forEachChunk(connection, "SELECT customer_id, source, source_key, origin, position, id"
                + " FROM golden_pending WHERE customer_id IN (", null, sorted, rs -> {
                    if (rs.getLong(6) > latest.getOrDefault(rs.getString(1), Long.MIN_VALUE)) {
                        latest.put(rs.getString(1), rs.getLong(6));
                        causes.put(rs.getString(1), new Cause(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getObject(5, Long.class)));
                    }
                });
        recompute(connection, causes, now);
    }

    /**
     * Recomputes {@code id} naming {@code cause} in its history; whatever was pending for it is then done.
     * Returns whether its values or status changed (the change then went to the outbox).
     */
    private boolean recompute(Connection connection, String id, Instant now, Cause cause) throws SQLException {
        return !recompute(connection, Map.of(id, cause), now).isEmpty();
    }

    /** Recomputes the golden records of {@code causes} (by id, what history names); returns those that changed. */
    private Set<String> recompute(Connection connection, Map<String, Cause> causes, Instant now) throws SQLException {
        List<String> ids = List.copyOf(causes.keySet());
        Transactions.updateEachChunk(connection, "DELETE FROM golden_pending WHERE customer_id IN (", ids);
        Map<String, Stored> stored = new HashMap<>();
        Transactions.forEachChunk(connection, "SELECT id, status, lineage, " + ValueColumn.NAMES
                + " FROM customer WHERE id IN (", null, ids, rs -> stored.put(rs.getString(1),
                new Stored(rs.getString(2), rs.getString(3), ValueColumn.read(rs, 4, null, null, null, null))));
        Map<String, List<Member>> membersOf = new HashMap<>();
        Transactions.forEachChunk(connection, SELECT_MEMBERS + "customer_id IN (", null, ids, rs -> membersOf
                .computeIfAbsent(rs.getString(7 + ValueColumn.values().length), k -> new ArrayList<>()).add(member(rs)));
        Set<String> changed = new LinkedHashSet<>();
        List<Object[]> statuses = new ArrayList<>();
        List<Object[]> lineages = new ArrayList<>();
        List<SyncOutbox.GoldenChange> changes = new ArrayList<>();
        try (PreparedStatement values = connection.prepareStatement(GoldenRows.UPDATE_CUSTOMER);
             PreparedStatement history = connection.prepareStatement(GoldenRows.INSERT_HISTORY)) {
            for (String id : ids) {
                Stored current = stored.get(id);
                List<Member> members = membersOf.getOrDefault(id, List.of());
                if (current == null || "MERGED".equals(current.status()) || members.isEmpty()) {
                    continue;
                }
                members.sort(NEWEST_FIRST);
                List<SourceSnapshot> active = members.stream().filter(m -> !m.deleted()).map(Member::snapshot).toList();
                String newStatus = active.isEmpty() ? "DELETED" : "ACTIVE";
                // a golden record none of whose records is active keeps its last values, as they do
                GoldenRecord golden = active.isEmpty() ? null
                        : survivorship.survive(active, lineageOf(current.lineage()), current.values());
                if (golden != null) {
                    recordConflicts(connection, id, golden.conflicts(), now);
                }
                CustomerRecord after = golden == null ? current.values() : golden.values();
                String lineage = golden == null ? current.lineage() : GoldenRows.lineageJson(golden.lineage());
                Map<String, String> before = new LinkedHashMap<>();
                Map<String, String> afterValues = new LinkedHashMap<>();
                if (!newStatus.equals(current.status())) {
                    before.put("status", current.status());
                    afterValues.put("status", newStatus);
                    statuses.add(new Object[] {newStatus, id});
                }
                GoldenRows.diff(current.values(), after, before, afterValues);
                if (afterValues.isEmpty()) {
                    if (!Objects.equals(lineage, current.lineage())) {
                        lineages.add(new Object[] {lineage, id});
                    }
                    Set<String> disagreeing = disagreeing(members, after);
                    if (!disagreeing.isEmpty()) {
                        // read holding other values (a late echo of an older write, an edit that lost): sent the golden ones
                        changes.add(new SyncOutbox.GoldenChange(id, after, newStatus, null, disagreeing, lineage));
                    }
                    continue;
                }
                changed.add(id);
                changes.add(new SyncOutbox.GoldenChange(id, after, newStatus, null, null, lineage));
                int index = ValueColumn.bindAll(values, 1, after);
                values.setString(index++, lineage);
                values.setObject(index++, SqlValues.timestamp(now));
                values.setLong(index++, 1);
                values.setString(index, id);
                values.addBatch();
                bindHistory(history, id, causes.get(id), "UPDATE", SqlValues.json(before), SqlValues.json(afterValues),
                        null, now);
                history.addBatch();
            }
            Transactions.executeBatch(connection, "UPDATE customer SET status = ? WHERE id = ?", statuses);
            Transactions.executeBatch(connection, "UPDATE customer SET lineage = ? WHERE id = ?", lineages);
            values.executeBatch();
            history.executeBatch();
        }
        outbox.enqueue(connection, changes, now);
        return changed;
    }

    /**
     * The sources of the active records of a golden record that did not change which hold values other than
     * its own ({@code golden}): each is then sent the golden values. Every record is looked at, not only the
     * one that caused the recompute: records of several sources read since the last recompute name only one.
     */
    private static Set<String> disagreeing(List<Member> members, CustomerRecord golden) {
        Set<String> sources = new LinkedHashSet<>();
        for (Member member : members) {
            CustomerRecord values = member.snapshot().values();
            if (!member.deleted() && !sources.contains(values.source())) {
                for (ValueColumn column : ValueColumn.values()) {
                    String held = column.field.textOf(values);
                    if (held != null && !held.equals(column.field.textOf(golden))) {
                        sources.add(values.source());
                        break;
                    }
                }
            }
        }
        return sources;
    }

    /** {@code customer.lineage} read back: the record that supplies each group now. */
    private static Map<FieldGroup, Lineage> lineageOf(String json) {
        Map<FieldGroup, Lineage> lineage = new EnumMap<>(FieldGroup.class);
        if (json == null) {
            return lineage;
        }
        node(json).fields().forEachRemaining(entry -> {
            JsonNode origin = entry.getValue();
            lineage.put(FieldGroup.of(entry.getKey()), new Lineage(origin.path("source").asText(), origin.path("sourceKey").asText(),
                    Instant.parse(origin.path("at").asText()), SurvivorshipRule.of(origin.path("rule").asText())));
        });
        return lineage;
    }

    /**
     * Writes each conflict not recorded before: an edit (the other record's value as read at one time) is one
     * conflict, though the value it lost to may change before the hub writes the golden one there.
     */
    private static void recordConflicts(Connection connection, String id, List<Conflict> conflicts, Instant now)
            throws SQLException {
        for (Conflict conflict : conflicts) {
            String otherValue = valuesJson(conflict.otherValues());
            try (PreparedStatement seen = connection.prepareStatement("SELECT 1 FROM sync_conflict WHERE customer_id = ?"
                    + " AND field_group = ? AND other_source = ? AND other_key = ? AND other_value = ? AND other_at = ?")) {
                seen.setString(1, id);
                seen.setString(2, conflict.group().key());
                seen.setString(3, conflict.otherSource());
                seen.setString(4, conflict.otherKey());
                seen.setString(5, otherValue);
                seen.setObject(6, SqlValues.timestamp(conflict.otherAt()));
                try (ResultSet rs = seen.executeQuery()) {
                    if (rs.next()) {
                        continue;
                    }
                }
            }
            update(connection, "INSERT INTO sync_conflict (customer_id, field_group, owner_source, owner_key, owner_value,"
                            + " other_source, other_key, other_value, other_at, rule, outcome, detected_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, conflict.group().key(), conflict.ownerSource(), conflict.ownerKey(), valuesJson(conflict.ownerValues()),
                    conflict.otherSource(), conflict.otherKey(), otherValue, SqlValues.timestamp(conflict.otherAt()),
                    conflict.rule(), conflict.outcome(), SqlValues.timestamp(now));
        }
    }

    private static String valuesJson(List<Object> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(value -> array.add(value == null ? null : value.toString()));
        return array.toString();
    }

    private static Stored stored(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_CUSTOMER)) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("golden record " + id + " does not exist");
                }
                return new Stored(rs.getString(1), rs.getString(2), ValueColumn.read(rs, 3, null, null, null, null));
            }
        }
    }

    /**
     * Merges golden records {@code first} and {@code second}, found to be one customer: the older one
     * (ids are time-ordered) survives and takes every source record (with its blocking keys), pending
     * change and review of the other, which becomes {@code MERGED} into it. Returns the survivor's id.
     */
    String merge(Connection connection, String first, String second, Instant now) throws SQLException {
        if (first.equals(second)) {
            throw new StoreException("golden record " + first + " cannot be merged with itself");
        }
        requireActive(connection, first);
        requireActive(connection, second);
        // the steward's word now: they are one customer after all
        update(connection, "DELETE FROM keep_apart WHERE (customer_id = ? AND other_customer_id = ?)"
                + " OR (customer_id = ? AND other_customer_id = ?)", first, second, second, first);
        return merge(connection, first, second, now, Cause.NONE);
    }

    /**
     * Merges the golden records that new source record ({@code source}, {@code sourceKey}) links: it
     * scored MERGE with a record of each. Either may have been merged into another already (earlier
     * in the batch); their survivors are merged then, unless a data steward kept them apart ({@code keep_apart}): the
     * record then stays in the first. The survivor is recomputed by the merge stage. Returns the survivor's id.
     */
    String mergeLinked(Connection connection, String first, String second, String source, String sourceKey, Instant now)
            throws SQLException {
        String one = active(connection, first);
        String other = active(connection, second);
        return one.equals(other) || keptApart(connection, one, other) ? one
                : merge(connection, one, other, now, new Cause(source, sourceKey, null, null));
    }

    /** Whether a data steward decided that golden records {@code one} and {@code other} are different customers. */
    private static boolean keptApart(Connection connection, String one, String other) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM keep_apart"
                + " WHERE (customer_id = ? AND other_customer_id = ?) OR (customer_id = ? AND other_customer_id = ?)")) {
            statement.setString(1, one);
            statement.setString(2, other);
            statement.setString(3, other);
            statement.setString(4, one);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Remembers that golden records {@code one} and {@code other} are different customers, as {@code decision} said. */
    private static void keepApart(Connection connection, String one, String other, String decision, Instant now)
            throws SQLException {
        update(connection, "INSERT INTO keep_apart (customer_id, other_customer_id, decision, decided_at) VALUES (?, ?, ?, ?)",
                one, other, decision, SqlValues.timestamp(now));
    }

    private String merge(Connection connection, String first, String second, Instant now, Cause cause) throws SQLException {
        String survivor = first.compareTo(second) < 0 ? first : second;
        String merged = survivor.equals(first) ? second : first;
        // the merged row first: a sync delivery recording a write of it waits for this merge to commit, or this merge
        // for the recording, before moving its sync rows (SyncOutbox.survivors)
        update(connection, "UPDATE customer SET status = 'MERGED', merged_into = ?, updated_at = ?, version = version + 1"
                + " WHERE id = ?", survivor, SqlValues.timestamp(now), merged);
        update(connection, "UPDATE customer_source SET customer_id = ? WHERE customer_id = ?", survivor, merged);
        update(connection, "UPDATE golden_pending SET customer_id = ? WHERE customer_id = ?", survivor, merged);
        update(connection, "UPDATE match_review SET candidate_customer_id = ? WHERE candidate_customer_id = ?", survivor, merged);
        update(connection, "UPDATE keep_apart SET customer_id = ? WHERE customer_id = ?", survivor, merged);
        update(connection, "UPDATE keep_apart SET other_customer_id = ? WHERE other_customer_id = ?", survivor, merged);
        Stored kept = stored(connection, survivor);
        outbox.absorb(connection, merged, new SyncOutbox.GoldenChange(survivor, kept.values(), kept.status(), null, null,
                kept.lineage()), now);
        history(connection, survivor, cause, "GOLDEN_MERGE", null, null, merged, now);
        history(connection, merged, cause, "GOLDEN_MERGE", null, null, survivor, now);
        if (cause == Cause.NONE) {
            recompute(connection, survivor, now, cause);
        }
        return survivor;
    }

    /**
     * A data steward's decision on match review {@code reviewId}: accepted, the golden records of the
     * new record and of its candidate are merged (whatever they were merged into meanwhile); rejected,
     * they stay apart. Returns the golden id the new record now belongs to.
     */
    String resolveReview(Connection connection, long reviewId, boolean accept, Instant now) throws SQLException {
        String candidate;
        String customerId;
        try (PreparedStatement statement = connection.prepareStatement("SELECT r.status, r.candidate_customer_id,"
                + " s.customer_id FROM match_review r JOIN customer_source s ON s.source = r.source"
                + " AND s.source_key = r.source_key WHERE r.id = ?")) {
            statement.setLong(1, reviewId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no match review " + reviewId);
                }
                if (!"OPEN".equals(rs.getString(1))) {
                    throw new StoreException("match review " + reviewId + " is " + rs.getString(1) + ", not OPEN");
                }
                candidate = rs.getString(2);
                customerId = rs.getString(3);
            }
        }
        update(connection, "UPDATE match_review SET status = ?, resolved_at = ? WHERE id = ?",
                accept ? "ACCEPTED" : "REJECTED", SqlValues.timestamp(now), reviewId);
        if (!accept) {
            String survivorOfCandidate = active(connection, candidate);
            if (!survivorOfCandidate.equals(customerId)) {
                keepApart(connection, customerId, survivorOfCandidate, "REVIEW_REJECTED " + reviewId, now);
            }
            return customerId;
        }
        String survivorOfCandidate = active(connection, candidate);
        return survivorOfCandidate.equals(customerId) ? customerId : merge(connection, customerId, survivorOfCandidate, now);
    }

    /** {@code id}, or the active golden record at the end of its merged_into chain. */
    /** The golden record {@code id} is, or was merged into (following {@code merged_into}). */
    static String active(Connection connection, String id) throws SQLException {
        String current = id;
        try (PreparedStatement statement = connection.prepareStatement("SELECT status, merged_into FROM customer WHERE id = ?")) {
            while (true) {
                statement.setString(1, current);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("no golden record " + current);
                    }
                    if (!"MERGED".equals(rs.getString(1))) {
                        return current;
                    }
                    current = rs.getString(2);
                }
            }
        }
    }

    /**
     * Takes source record ({@code source}, {@code sourceKey}) out of its golden record: it goes back to
     * the golden record it started if that one was merged away, or gets a new one built from its own
     * snapshot; the golden record it leaves is recomputed from the records that stay. Returns the id it
     * now belongs to.
     */
    String unmerge(Connection connection, String source, String sourceKey, Instant now) throws SQLException {
        String customerId;
        String own;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT customer_id, own_customer_id FROM customer_source WHERE source = ? AND source_key = ?")) {
            statement.setString(1, source);
            statement.setString(2, sourceKey);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no source record " + source + "/" + sourceKey);
                }
                customerId = rs.getString(1);
                own = rs.getString(2);
            }
        }
        // deleted records count: a steward may take a deleted record out of a golden record, too
        if (members(connection, customerId).size() < 2) {
            throw new StoreException("source record " + source + "/" + sourceKey + " is the only record of golden record "
                    + customerId + ": there is nothing to unmerge");
        }
        String target;
        if (own != null && !own.equals(customerId) && "MERGED".equals(status(connection, own))) {
            target = own;
            update(connection, "UPDATE customer SET status = 'ACTIVE', merged_into = NULL, updated_at = ?, version = version + 1"
                    + " WHERE id = ?", SqlValues.timestamp(now), target);
        } else {
            target = GoldenRows.GOLDEN_IDS.next().toString();
            GoldenRecord alone = survivorship.survive(snapshots(connection, "source = ? AND source_key = ?", source, sourceKey)
                    .stream().map(Member::snapshot).toList());
            try (PreparedStatement statement = connection.prepareStatement(GoldenRows.INSERT_CUSTOMER)) {
                statement.setString(1, target);
                int index = ValueColumn.bindAll(statement, 2, alone.values());
                statement.setString(index++, GoldenRows.lineageJson(alone.lineage()));
                statement.setObject(index++, SqlValues.timestamp(now));
                statement.setObject(index++, SqlValues.timestamp(now));
                statement.setLong(index, 1);
                statement.executeUpdate();
            }
        }
        update(connection, "UPDATE customer_source SET customer_id = ?, own_customer_id = ?, match_rule = NULL,"
                + " match_score = NULL, match_details = NULL WHERE source = ? AND source_key = ?", target, target, source, sourceKey);
        update(connection, "UPDATE golden_pending SET customer_id = ? WHERE source = ? AND source_key = ?", target, source,
                sourceKey);
        keepApart(connection, customerId, target, "UNMERGE " + source + "/" + sourceKey, now);
        Cause cause = new Cause(source, sourceKey, null, null);
        history(connection, customerId, cause, "UNMERGE", null, null, target, now);
        history(connection, target, cause, "UNMERGE", null, null, customerId, now);
        recompute(connection, customerId, now, cause);
        if (!recompute(connection, target, now, cause)) {
            // back, or new, with the values it has: its targets still hold the other golden record's
            Stored stored = stored(connection, target);
            outbox.enqueue(connection, List.of(new SyncOutbox.GoldenChange(target, stored.values(), "ACTIVE", null, null,
                    stored.lineage())), now);
        }
        return target;
    }

    /**
     * A data steward settles conflict {@code conflictId}, one the group's {@code hold} rule left open: the
     * golden record takes the value of the other record ({@code toOther}) or keeps the owner's, and holds
     * it as the hold rule holds any value, until the next conflict. Returns the golden record's id.
     */
    String settle(Connection connection, long conflictId, boolean toOther, Instant now) throws SQLException {
        String customerId;
        FieldGroup group;
        String source;
        String sourceKey;
        try (PreparedStatement select = connection.prepareStatement("SELECT customer_id, field_group, owner_source, owner_key,"
                + " other_source, other_key, outcome, settled_at FROM sync_conflict WHERE id = ?")) {
            select.setLong(1, conflictId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no sync_conflict " + conflictId);
                }
                if (!"HELD".equals(rs.getString(7)) || rs.getObject(8) != null) {
                    throw new StoreException("sync_conflict " + conflictId + " does not wait for a steward: "
                            + (rs.getObject(8) != null ? "settled already" : "its rule settled it (" + rs.getString(7) + ")"));
                }
                customerId = active(connection, rs.getString(1));
                group = FieldGroup.of(rs.getString(2));
                source = toOther ? rs.getString(5) : rs.getString(3);
                sourceKey = toOther ? rs.getString(6) : rs.getString(4);
            }
        }
        Map<FieldGroup, Lineage> lineage = lineageOf(stored(connection, customerId).lineage());
        lineage.put(group, new Lineage(source, sourceKey, now, SurvivorshipRule.MOST_RECENT));
        update(connection, "UPDATE customer SET lineage = ? WHERE id = ?", GoldenRows.lineageJson(lineage), customerId);
        update(connection, "UPDATE sync_conflict SET settled_at = ?, settled_to = ? WHERE id = ?", SqlValues.timestamp(now),
                toOther ? "OTHER" : "OWNER", conflictId);
        recompute(connection, customerId, now, new Cause(source, sourceKey, "settle sync_conflict " + conflictId, null));
        return customerId;
    }

    /**
     * Splits golden record {@code id} into one golden record per source record: the record that started
     * it keeps the id (the oldest record when that one left before), every other is unmerged. Returns
     * the ids of the split-off golden records.
     */
    List<String> unmergeAll(Connection connection, String id, Instant now) throws SQLException {
        requireActive(connection, id);
        List<String[]> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT source, source_key, own_customer_id"
                + " FROM customer_source WHERE customer_id = ? ORDER BY first_seen_at, source, source_key")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        int keeper = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (id.equals(keys.get(i)[2])) {
                keeper = i;
            }
        }
        List<String> split = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (i != keeper) {
                String target = unmerge(connection, keys.get(i)[0], keys.get(i)[1], now);
                for (String earlier : split) {
                    keepApart(connection, earlier, target, "UNMERGE " + id, now);
                }
                split.add(target);
            }
        }
        return split;
    }

    /**
     * Why golden record {@code id} looks as it does, as JSON: its row (with lineage), each source record
     * with its snapshot and the rule, score and field comparisons that made it join, and its history.
     */
    String explain(Connection connection, String id, MatchSettings matching) throws SQLException {
        ObjectNode explanation = JSON.createObjectNode();
        ArrayNode customer = rows(connection, "SELECT * FROM customer WHERE id = ?", id);
        if (customer.isEmpty()) {
            throw new StoreException("no golden record " + id);
        }
        explanation.set("customer", customer.get(0));
        explanation.set("sourceRecords", rows(connection,
                "SELECT * FROM customer_source WHERE customer_id = ? ORDER BY first_seen_at, source, source_key", id));
        explanation.set("history", rows(connection, "SELECT * FROM customer_history WHERE customer_id = ? ORDER BY id", id));
        explanation.set("reviews", rows(connection, "SELECT * FROM match_review WHERE candidate_customer_id = ? ORDER BY id", id));
        explanation.set("conflicts", rows(connection, "SELECT * FROM sync_conflict WHERE customer_id = ? ORDER BY id", id));
        explanation.set("keptApartFrom", rows(connection, "SELECT CASE WHEN customer_id = ? THEN other_customer_id ELSE customer_id END"
                + " AS customer_id, decision, decided_at FROM keep_apart WHERE customer_id = ? OR other_customer_id = ?"
                + " ORDER BY decided_at", id, id, id));
        explanation.set("targetRecords", rows(connection, "SELECT target, target_key, written_at FROM sync_state"
                + " WHERE customer_id = ? ORDER BY target, target_key", id));
        // the weights the match reasons above were scored with, if the records were matched since they came in force
        ObjectNode weights = explanation.putObject("matchWeights");
        weights.put("origin", matching.origin());
        ObjectNode fields = weights.putObject("fields");
        matching.weights().forEach((field, w) -> fields.putObject(field.key()).put("agree", w.agree()).put("disagree", w.disagree()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(explanation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes is always JSON", e);
        }
    }

    /**
     * Enqueues golden records {@code ids} (active ones) for {@code target} as they are now, forced: the target gets each
     * of them whatever the hub believes it holds (an operator's re-export). Returns how many were enqueued.
     */
    int reexport(Connection connection, String target, List<String> ids, Instant now) throws SQLException {
        List<SyncOutbox.GoldenChange> changes = new ArrayList<>();
        for (String id : ids) {
            Stored stored = stored(connection, id);
            if (stored != null && "ACTIVE".equals(stored.status())) {
                changes.add(new SyncOutbox.GoldenChange(id, stored.values(), "ACTIVE", null, Set.of(target), stored.lineage()));
            }
        }
        outbox.reexport(connection, changes, now);
        return changes.size();
    }

    /** Up to {@code limit} ids of active golden records after {@code after}, in id order (keyset paging). */
    static List<String> activeIds(Connection connection, String after, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM customer WHERE id > ? AND status = 'ACTIVE' ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")) {
            select.setString(1, after);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    static List<String> pending(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT customer_id FROM golden_pending GROUP BY customer_id ORDER BY MIN(id)");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The source records of golden record {@code id}, deleted ones included, newest first. */
    private static List<Member> members(Connection connection, String id) throws SQLException {
        return snapshots(connection, "customer_id = ?", id);
    }

    private static List<Member> snapshots(Connection connection, String where, String... parameters)
            throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_MEMBERS + where)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    members.add(member(rs));
                }
            }
        }
        members.sort(NEWEST_FIRST);
        return members;
    }

    /** A row of {@link #SELECT_MEMBERS}. */
    private static Member member(ResultSet rs) throws SQLException {
        OffsetDateTime sourceUpdatedAt = rs.getObject(3, OffsetDateTime.class);
        Instant storedAt = rs.getObject(5, OffsetDateTime.class).toInstant();
        CustomerRecord values = ValueColumn.read(rs, 6, rs.getString(1), rs.getString(2),
                sourceUpdatedAt == null ? null : sourceUpdatedAt.toInstant(), rs.getString(4));
        Instant firstSeenAt = rs.getObject(8 + ValueColumn.values().length, OffsetDateTime.class).toInstant();
        return new Member(new SourceSnapshot(values, firstSeenAt, GroupEdits.parse(rs.getString(9 + ValueColumn.values().length))),
                storedAt, "DELETED".equals(rs.getString(6 + ValueColumn.values().length)));
    }

    private static String status(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT status FROM customer WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void requireActive(Connection connection, String id) throws SQLException {
        String status = status(connection, id);
        if (status == null) {
            throw new StoreException("no golden record " + id);
        }
        if (!status.equals("ACTIVE")) {
            throw new StoreException("golden record " + id + " is " + status + ", not ACTIVE");
        }
    }

    private static void history(Connection connection, String id, Cause cause, String changeType, String before,
                                String after, String other, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(GoldenRows.INSERT_HISTORY)) {
            bindHistory(statement, id, cause, changeType, before, after, other, now);
            statement.executeUpdate();
        }
    }

    private static void bindHistory(PreparedStatement statement, String id, Cause cause, String changeType, String before,
                                    String after, String other, Instant now) throws SQLException {
        statement.setString(1, id);
        statement.setString(2, cause.source());
        statement.setString(3, cause.sourceKey());
        statement.setString(4, changeType);
        statement.setObject(5, SqlValues.timestamp(now));
        statement.setString(6, before);
        statement.setString(7, after);
        statement.setString(8, cause.origin());
        if (cause.position() == null) {
            statement.setNull(9, Types.BIGINT);
        } else {
            statement.setLong(9, cause.position());
        }
        statement.setNull(10, Types.DOUBLE);
        statement.setString(11, other);
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        return Transactions.update(connection, sql, parameters);
    }

    /** The rows of a query as JSON objects keyed by lower-case column name; JSON columns parsed. */
    private static ArrayNode rows(Connection connection, String sql, String... parameters) throws SQLException {
        ArrayNode rows = JSON.createArrayNode();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    ObjectNode row = rows.addObject();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String column = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
                        Object value = rs.getObject(i);
                        row.set(column, value == null ? null : node(value.toString()));
                    }
                }
            }
        }
        return rows;
    }

    private static JsonNode node(String text) {
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                // not JSON after all: shown as text
            }
        }
        return JSON.getNodeFactory().textNode(text);
    }
}
