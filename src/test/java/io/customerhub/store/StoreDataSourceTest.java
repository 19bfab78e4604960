package io.customerhub.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class StoreDataSourceTest {

    /** Rounds of changes in the compaction test. */
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void anEmbeddedStoreLogsWhatItReadAndWroteToItsFileWhenItCloses() throws Exception {
        HikariDataSource store = StoreDataSource.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("hub") + ";WRITE_DELAY=0",
                "sa", "", 1));
        try (Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO source_watermark (source, watermark, advanced_at)"
                     + " VALUES (?, 'w', CURRENT_TIMESTAMP)")) {
            for (int i = 0; i < 200; i++) {
                insert.setString(1, "source-" + i);
                insert.executeUpdate();
            }
        }
        Logger logger = (Logger) LoggerFactory.getLogger(StoreDataSource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            StoreDataSource.close(store);
        } finally {
            logger.detachAppender(log);
        }

        String line = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.startsWith("Store file since open: ")).findFirst().orElseThrow();
        // with thousands separators, so that the log's masking of long digit runs leaves the figures readable
        Matcher written = Pattern.compile("FILE_WRITE ([\\d,]+),").matcher(line);
        assertThat(written.find()).as(line).isTrue();
        assertThat(Long.parseLong(written.group(1).replace(",", ""))).as("a commit per row, each written").isGreaterThanOrEqualTo(200);
        assertThat(line).contains("FILE_READ ", "FILE_WRITE_BYTES ", "CACHE_HIT_RATIO ", "CHUNK_COUNT ");
    }

    @Test
    void aSourceRecordIsFoundByGoldenRecordAndSourceInOneIndexWithoutAForeignKeyOfItsOwn() throws Exception {
        HikariDataSource store = StoreDataSource.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("hub"), "sa", "", 1));
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet indexes = statement.executeQuery("SELECT i.INDEX_NAME, c.COLUMN_NAME FROM INFORMATION_SCHEMA.INDEXES i"
                     + " JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c ON c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME"
                     + " WHERE i.TABLE_NAME = 'CUSTOMER_SOURCE' AND c.COLUMN_NAME = 'CUSTOMER_ID'")) {
            assertThat(indexes.next()).isTrue();
            assertThat(indexes.getString(1)).isEqualTo("IX_CUSTOMER_SOURCE_CUSTOMER");
            assertThat(indexes.next()).as("no second index on customer_id (H2's own, for a foreign key)").isFalse();
        } finally {
            StoreDataSource.close(store);
        }
    }

    @Test
    void anEmbeddedStoreThatKeepsChangingIsCompactedWhileItRuns() throws Exception {
        // RETENTION_TIME=0: a chunk H2 no longer needs is free at once, not after 45 s, so the test need not wait
        String options = ";WRITE_DELAY=0;RETENTION_TIME=0";
        long uncompacted;
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("plain") + options, "sa", "")) {
            for (int round = 0; round < ROUNDS; round++) {
                change(connection, round);
            }
            uncompacted = Files.size(dir.resolve("plain.mv.db"));
        }
        HikariDataSource store = StoreDataSource.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("hub") + options, "sa", "", 1));
        try {
            EmbeddedStoreCompaction compaction = EmbeddedStoreCompaction.of(store);
            Awaitility.await("a round of the store's compaction").atMost(Duration.ofSeconds(30)).until(() -> compaction.rounds() > 0);
            for (int round = 0; round < ROUNDS; round++) {
                try (Connection connection = store.getConnection()) {
                    change(connection, round);
                }
                // a round after each round of changes here, where the store's own rounds come every second
                compaction.round();
            }
            long compacted = Files.size(dir.resolve("hub.mv.db"));
            assertThat(compacted).as("the file after the same changes, compacted as they were made, against one that was not")
                    .isLessThan(uncompacted / 3);
            try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM churn")) {
                count.next();
                assertThat(count.getLong(1)).as("every row written is still there").isEqualTo(ROUNDS * 100L * 20);
            }
        } finally {
            StoreDataSource.close(store);
        }
        assertThat(EmbeddedStoreCompaction.of(store)).as("stopped with the store").isNull();
    }

    /** A round of changes as a load makes them: rows added at random places of an index, in small transactions. */
    private static void change(Connection connection, int round) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS churn (id UUID PRIMARY KEY, v VARCHAR(200))");
        }
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO churn (id, v) VALUES (RANDOM_UUID(), ?)")) {
            for (int transaction = 0; transaction < 100; transaction++) {
                for (int row = 0; row < 20; row++) {
                    insert.setString(1, "round " + round + " transaction " + transaction + " row " + row);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
