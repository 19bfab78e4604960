package io.customerhub.ingest;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.SourceDeclaration;
import io.customerhub.testing.ZonedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An ERP on PostgreSQL whose {@code timestamp} column (without zone) is stamped by {@code now()} in
 * the database's zone, UTC or America/New_York, while the hub cleanses in Asia/Shanghai: the real
 * in-process daemon with the jdbc-source and jdbc-sync of that table (no time-zone parameter, so
 * the zone is detected) reads its rows as the instants they are, writes back a CRM edit with a
 * stamp in the database's time, keeps its watermark there, and so reads the next edit stamped by
 * {@code now()} on its next poll.
 */
class JdbcSourceZonesRoutesTest {

    private static final ZoneId HUB_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter CRM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    Path dir;

    ZonedPostgres erp;
    RunningHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (erp != null) {
            erp.close();
        }
    }

    @ParameterizedTest(name = "database in {0}")
    @ValueSource(strings = {"UTC", "America/New_York"})
    void rowsStampedByNowAreReadAndTheHubsWriteBackKeepsTheWatermarkInTheDatabasesTime(String zone) throws Exception {
        erp = ZonedPostgres.create(dir, zone);
        erp.execute("CREATE TABLE erp_customer (kunnr BIGINT PRIMARY KEY, name1 VARCHAR(40) NOT NULL, email VARCHAR(60),"
                + " mobile VARCHAR(20), changed_at TIMESTAMP(6) NOT NULL DEFAULT now(), deleted BOOLEAN NOT NULL DEFAULT FALSE)");
        erp.execute("INSERT INTO erp_customer (kunnr, name1, email, mobile) VALUES"
                + " (1042, 'Wang Fang', 'wang.fang@example.com', '+8613800138000'), (1043, 'Li Lei', 'li.lei@example.com', '+8613900139000')");
        HubHome home = home();
        hub = RunningHub.start(home, Map.of("hub.sync.interval", "200", "hub.cleanse.time-zone", HUB_ZONE.getId()));

        // read, each as the instant the database stamped: not hours off
        await().atMost(Duration.ofSeconds(20)).until(() -> stored().size() == 2);
        assertThat(storedAt("1042")).isEqualTo(stamp(1042)).isBetween(Instant.now().minusSeconds(120), Instant.now());

        // the CRM knows a newer e-mail (same phone): the hub writes it into the ERP's row
        String crmTime = LocalDateTime.now(HUB_ZONE).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).format(CRM_TIME);
        home.drop("crm", "crm-zones.csv", ("客户编号,姓名,手机,邮箱,更新时间\n"
                + "C2002,Wang Fang,138 0013 8000,fang.wang@example.com," + crmTime + "\n").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> "fang.wang@example.com".equals(erpEmail(1042)));
        // stamped as the database's now() would: its local time, not Shanghai's
        LocalDateTime written = changedAt(1042);
        assertThat(written).isBetween(databaseNow().minusMinutes(1), databaseNow());

        // read back: the watermark is that stamp, in the database's time
        await().atMost(Duration.ofSeconds(20)).until(() -> "fang.wang@example.com".equals(stored("1042").get("email")));
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().key().text().equals("1042"));
        assertThat(LocalDateTime.parse(watermark().at().text())).isEqualTo(written);
        assertThat(storedAt("1042")).isEqualTo(stamp(1042));

        // a later edit in the ERP, stamped by now(), is after the watermark: read on the next poll
        erp.execute("UPDATE erp_customer SET email = ?, changed_at = now() WHERE kunnr = ?", "fang@erp.example.com", 1042L);
        await().atMost(Duration.ofSeconds(10)).until(() -> "fang@erp.example.com".equals(stored("1042").get("email")));
        assertThat(storedAt("1042")).isEqualTo(stamp(1042));
        assertThat(hub.query("SELECT * FROM quarantine")).isEmpty();
    }

    private HubHome home() throws Exception {
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        Path secret = Files.writeString(dir.resolve("erp-password"), "\n");
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"),
                SourceDeclaration.erpTable(erp.url, erp.user, secret.toString(), "erp_customer", 200));
        return home;
    }

    private List<Map<String, Object>> stored() {
        return hub.query("SELECT * FROM customer_source WHERE source = 'erp' ORDER BY source_key");
    }

    private Map<String, Object> stored(String key) {
        return hub.query("SELECT * FROM customer_source WHERE source = 'erp' AND source_key = ?", key).get(0);
    }

    private Instant storedAt(String key) {
        Object at = stored(key).get("source_updated_at");
        return at instanceof OffsetDateTime zoned ? zoned.toInstant() : ((java.sql.Timestamp) at).toInstant();
    }

    private JdbcWatermark watermark() {
        return JdbcWatermark.decode(String.valueOf(
                hub.query("SELECT watermark FROM source_watermark WHERE source = 'erp'").get(0).get("watermark")));
    }

    /** The instant the ERP's row carries: its local stamp in the database's zone, as PostgreSQL casts it. */
    private Instant stamp(long key) throws SQLException {
        return erpValue("SELECT CAST(changed_at AS TIMESTAMPTZ) FROM erp_customer WHERE kunnr = ?", key, OffsetDateTime.class).toInstant();
    }

    private LocalDateTime changedAt(long key) throws SQLException {
        return erpValue("SELECT changed_at FROM erp_customer WHERE kunnr = ?", key, LocalDateTime.class);
    }

    private String erpEmail(long key) throws SQLException {
        return erpValue("SELECT email FROM erp_customer WHERE kunnr = ?", key, String.class);
    }

    private LocalDateTime databaseNow() throws SQLException {
        try (Connection session = erp.session(); PreparedStatement select = session.prepareStatement("SELECT LOCALTIMESTAMP");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class);
        }
    }

    private <T> T erpValue(String sql, long key, Class<T> type) throws SQLException {
        try (Connection session = erp.session(); PreparedStatement select = session.prepareStatement(sql)) {
            select.setLong(1, key);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getObject(1, type);
            }
        }
    }
}
