package io.customerhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How far each source has been read: the persisted cursor of each polled source
 * ({@code source_watermark}), and whether a source has ever been read completely ({@code source_read}).
 *
 * <p>A polled source route reads its cursor
 * when a poll starts and advances it after each batch is stored, so a crash between the two
 * re-reads that batch, which the idempotent consumer then drops: nothing is skipped and nothing
 * stored twice. The watermark text is the source template's own (opaque here).
 */
public final class Watermarks {

    private final DataSource dataSource;

    public Watermarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored watermark of {@code source}, or null when it has never been polled. */
    public String read(String source) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT watermark FROM source_watermark WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw StoreHealth.failure("could not read the watermark of source " + source + ": " + e.getMessage(), e);
        }
    }

    /** Stores {@code watermark} as the position of {@code source}; a null watermark (an empty batch) leaves it. */
    public void advance(String source, String watermark) {
        if (watermark == null) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE source_watermark SET watermark = ?, advanced_at = ? WHERE source = ?")) {
                update.setString(1, watermark);
                update.setObject(2, now);
                update.setString(3, source);
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO source_watermark (source, watermark, advanced_at) VALUES (?, ?, ?)")) {
                    insert.setString(1, source);
                    insert.setString(2, watermark);
                    insert.setObject(3, now);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw StoreHealth.failure("could not advance the watermark of source " + source + ": " + e.getMessage(), e);
        }
    }

    /** The sources read completely at least once. */
    public Set<String> read() {
        Set<String> sources = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT source FROM source_read");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                sources.add(rs.getString(1));
            }
            return sources;
        } catch (SQLException e) {
            throw StoreHealth.failure("could not read which sources were read completely: " + e.getMessage(), e);
        }
    }

    /** Records that {@code source} has been read completely (once; later calls change nothing). */
    public void markRead(String source) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO source_read (source, first_read)"
                     + " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM source_read WHERE source = ?)")) {
            insert.setString(1, source);
            insert.setObject(2, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
            insert.setString(3, source);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw StoreHealth.failure("could not record the first complete read of source " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forgets the watermark of {@code source}, so that its next poll reads it from the start (records already stored
     * come back as unchanged re-reads); returns the watermark it had, or null when it had none.
     */
    public String reset(String source) {
        return Transactions.inTransaction(dataSource, "reset the watermark of source " + source, connection -> {
            String was;
            try (PreparedStatement select = connection.prepareStatement("SELECT watermark FROM source_watermark WHERE source = ?")) {
                select.setString(1, source);
                try (ResultSet rs = select.executeQuery()) {
                    was = rs.next() ? rs.getString(1) : null;
                }
            }
            Transactions.update(connection, "DELETE FROM source_watermark WHERE source = ?", source);
            return was;
        });
    }
}
