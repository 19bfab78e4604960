package io.customerhub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.match.MatchSettings;
import io.customerhub.match.WeightEstimate;
import io.customerhub.record.CanonicalField;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stored estimate of the match weights ({@code match_weights}): each run of the {@code weights} command keeps its
 * estimate as the next version, and {@code hub.match.weights} puts one in force: {@code configured} (the default),
 * {@code learned} (the newest) or a version number.
 */
public record MatchWeights(int version, Instant estimatedAt, WeightEstimate estimate) {

    private static final Logger LOG = LoggerFactory.getLogger(MatchWeights.class);

    /** How {@code explain} and the log name these weights. */
    public String origin() {
        return String.format(Locale.ROOT, "learned version %d (estimated %s from %,d blocked pairs)", version, estimatedAt,
                estimate.pairs());
    }

    /** The estimate as the {@code weights} command prints it, headed by its version. */
    public String table() {
        return "match weights version " + version + ", estimated " + estimatedAt + "\n" + estimate.table();
    }

    /**
     * {@code configured} with the weights {@code choice} names in force, the fields an operator weighted ({@code
     * weighted}) excepted; {@code configured} itself for the choice {@code configured}, or when no estimate was stored yet.
     *
     * @throws IllegalArgumentException naming {@code hub.match.weights} when the choice is neither configured, learned
     *                                  nor a stored version
     */
    public static MatchSettings inForce(DataSource dataSource, String choice, MatchSettings configured,
                                        Set<CanonicalField> weighted) {
        String chosen = choice.strip().toLowerCase(Locale.ROOT);
        if (chosen.equals("configured")) {
            return configured;
        }
        if (!chosen.equals("learned") && !chosen.matches("[0-9]+")) {
            throw new IllegalArgumentException("setting 'hub.match.weights' is '" + choice + "'; expected configured, learned"
                    + " or the version number of a stored estimate");
        }
        Optional<MatchWeights> stored = Transactions.inTransaction(dataSource, "read the match weights",
                connection -> read(connection, chosen.equals("learned") ? null : Integer.valueOf(chosen)));
        if (stored.isEmpty()) {
            if (!chosen.equals("learned")) {
                throw new IllegalArgumentException("setting 'hub.match.weights' names version " + chosen
                        + ", which is not stored (the weights command stores one per estimate)");
            }
            LOG.warn("hub.match.weights = learned, but no weights were estimated yet (the weights command does): matching"
                    + " with the configured ones");
            return configured;
        }
        MatchWeights weights = stored.get();
        LOG.info("Matching with the match weights {}; configured: {}", weights.origin(), weighted.isEmpty() ? "none" : weighted);
        return configured.learned(weights.estimate().weights(), weights.estimate().nameShares(), weighted, weights.origin());
    }

    /** Stores {@code estimate} as the next version. */
    static MatchWeights save(Connection connection, WeightEstimate estimate, Instant now) throws SQLException {
        int version;
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM match_weights");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            version = rs.getInt(1);
        }
        ObjectNode levels = SqlValues.JSON.createObjectNode();
        estimate.levels().forEach((field, byLevel) -> {
            ObjectNode node = levels.putObject(field.key());
            byLevel.forEach((level, l) -> node.putObject(level).put("m", l.m()).put("u", l.u()).put("weight", l.weight())
                    .put("configured", l.configured()));
        });
        ObjectNode shares = SqlValues.JSON.createObjectNode();
        estimate.nameShares().forEach((field, byName) -> {
            ObjectNode node = shares.putObject(field.key());
            byName.forEach(node::put);
        });
        Transactions.update(connection, "INSERT INTO match_weights (version, estimated_at, pairs, match_share, levels, name_shares)"
                + " VALUES (?, ?, ?, ?, ?, ?)", version, SqlValues.timestamp(now), estimate.pairs(), estimate.matchShare(),
                levels.toString(), shares.toString());
        return new MatchWeights(version, now, estimate);
    }

    /** Version {@code version}, or the newest when null. */
    private static Optional<MatchWeights> read(Connection connection, Integer version) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version, estimated_at, pairs, match_share, levels, name_shares"
                + " FROM match_weights" + (version == null ? " ORDER BY version DESC" : " WHERE version = ?"))) {
            select.setMaxRows(1);
            if (version != null) {
                select.setInt(1, version);
            }
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<CanonicalField, Map<String, WeightEstimate.Level>> levels = new EnumMap<>(CanonicalField.class);
                SqlValues.tree(rs.getString(5)).fields().forEachRemaining(field -> {
                    Map<String, WeightEstimate.Level> byLevel = new LinkedHashMap<>();
                    field.getValue().fields().forEachRemaining(level -> {
                        JsonNode l = level.getValue();
                        byLevel.put(level.getKey(), new WeightEstimate.Level(l.path("m").asDouble(), l.path("u").asDouble(),
                                l.path("weight").asDouble(), l.path("configured").asDouble(Double.NaN)));
                    });
                    levels.put(CanonicalField.of(field.getKey()), byLevel);
                });
                Map<CanonicalField, Map<String, Double>> shares = new EnumMap<>(CanonicalField.class);
                SqlValues.tree(rs.getString(6)).fields().forEachRemaining(field -> {
                    Map<String, Double> byName = new HashMap<>();
                    field.getValue().fields().forEachRemaining(name -> byName.put(name.getKey(), name.getValue().asDouble()));
                    shares.put(CanonicalField.of(field.getKey()), byName);
                });
                return Optional.of(new MatchWeights(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        new WeightEstimate(rs.getLong(3), rs.getDouble(4), levels, shares)));
            }
        }
    }
}
