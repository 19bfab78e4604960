package io.customerhub.connect;

import io.customerhub.testing.ScratchDatabase;
import io.customerhub.testing.ZonedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zone of a database's TIMESTAMP values without zone: the time-zone parameter, and the zone
 * detected from real PostgreSQL, MariaDB and H2 databases, never the zone the JDBC driver gave the
 * hub's own session.
 */
class DatabaseZoneTest {

    @TempDir
    Path dir;

    ZonedPostgres postgres;

    @AfterEach
    void drop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theTimeZoneParameterIsAZoneOrNotSet() {
        assertThat(DatabaseZone.parameter("-")).isNull();
        assertThat(DatabaseZone.parameter(null)).isNull();
        assertThat(DatabaseZone.parameter(" UTC ")).isEqualTo(ZoneId.of("UTC"));
        assertThat(DatabaseZone.parameter("America/New_York")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(DatabaseZone.parameter("+08:00")).isEqualTo(ZoneOffset.ofHours(8));
        assertThatThrownBy(() -> DatabaseZone.parameter("Mars/Olympus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time-zone: 'Mars/Olympus' is not a time zone such as Asia/Shanghai");
    }

    @Test
    void aConfiguredZoneIsTakenWithoutAskingTheDatabase() throws SQLException {
        // no connection at all: the parameter decides
        assertThat(DatabaseZone.resolve(null, ZoneId.of("Europe/Berlin"), "source erp")).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void postgresqlTakesTheDatabasesSettingNotTheZoneItsDriverGivesTheSession() throws SQLException {
        postgres = ZonedPostgres.create(dir, "America/New_York");
        try (Connection hub = DriverManager.getConnection(postgres.url, postgres.user, "")) {
            assertThat(setting(hub, "SHOW TimeZone")).as("pgjdbc's session zone is the JVM's").isEqualTo(ZoneId.systemDefault().getId());

            assertThat(DatabaseZone.detect(hub)).isEqualTo(new DatabaseZone(ZoneId.of("America/New_York"),
                    "the database's TimeZone setting America/New_York", false));
        }
    }

    @Test
    void postgresqlTakesARoleSettingInTheDatabaseBeforeTheDatabasesAndTheServersLogZoneAsAGuess() throws SQLException {
        postgres = ZonedPostgres.create(dir, null);
        String role = "hub_zone_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        postgres.administer("CREATE ROLE " + role + " LOGIN");
        try {
            // not a superuser: the server's configuration (pg_file_settings) is not readable
            try (Connection hub = DriverManager.getConnection(postgres.url, role, "")) {
                DatabaseZone guess = DatabaseZone.detect(hub);
                assertThat(guess.guessed()).isTrue();
                assertThat(guess.zone().getId()).isEqualTo(setting(hub, "SHOW log_timezone"));
                assertThat(guess.how()).contains("log_timezone");
            }
            postgres.administer("ALTER DATABASE " + postgres.name + " SET TimeZone = 'Asia/Tokyo'");
            postgres.administer("ALTER ROLE " + role + " IN DATABASE " + postgres.name + " SET TimeZone = 'Europe/Berlin'");
            try (Connection hub = DriverManager.getConnection(postgres.url, role, "")) {
                assertThat(DatabaseZone.detect(hub)).isEqualTo(new DatabaseZone(ZoneId.of("Europe/Berlin"),
                        "the TimeZone setting of this role in this database Europe/Berlin", false));
            }
        } finally {
            postgres.close();
            postgres = null;
            try (ScratchDatabase server = ScratchDatabase.open("PostgreSQL", dir, "database time zone", "unused", "unused_")) {
                server.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void aPosixZoneThatJavaWouldReadTheOtherWayIsTakenAsPostgresqlsOffsetAndCalledAGuess() throws SQLException {
        // POSIX: UTC+8 is eight hours west of Greenwich; to Java, UTC+8 is east
        postgres = ZonedPostgres.create(dir, "UTC+8");
        try (Connection hub = DriverManager.getConnection(postgres.url, postgres.user, "")) {
            DatabaseZone zone = DatabaseZone.detect(hub);
            assertThat(zone.zone()).isEqualTo(ZoneOffset.ofHours(-8));
            assertThat(zone.guessed()).isTrue();
        }
    }

    @Test
    void mariaDbTakesTheSessionsTimeZone() throws SQLException {
        ScratchDatabase server = ScratchDatabase.open("MariaDB", dir, "database time zone", "unused", "unused_");
        try (Connection hub = DriverManager.getConnection(server.url + "?sessionVariables=time_zone='-05:00'", server.user, "")) {
            assertThat(DatabaseZone.detect(hub)).isEqualTo(new DatabaseZone(ZoneOffset.ofHours(-5), "the session's time_zone -05:00", false));
        }
        try (Connection hub = DriverManager.getConnection(server.url, server.user, "")) {
            String session = setting(hub, "SELECT @@session.time_zone");
            String system = setting(hub, "SELECT @@system_time_zone");
            int offset = Integer.parseInt(setting(hub, "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())"));
            DatabaseZone detected = DatabaseZone.detect(hub);
            // whatever the server's zone: the offset of its clock now, and named when it can be named
            assertThat(detected.zone().getRules().getOffset(Instant.now()).getTotalSeconds()).isCloseTo(offset, org.assertj.core.data.Offset.offset(60));
            if (session.equals("SYSTEM") && system.equals("UTC")) {
                assertThat(detected).isEqualTo(new DatabaseZone(ZoneId.of("UTC"), "time_zone SYSTEM, the server's system_time_zone UTC", false));
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
            "UTC,           +00:00, 2026-12-01T00:00:00Z, UTC,           false",
            "Europe/Berlin, +01:00, 2026-12-01T00:00:00Z, Europe/Berlin, false",
            "Europe/Berlin, +02:00, 2026-12-01T00:00:00Z, +02:00,        true",
            // the server's abbreviation: China's or Chicago's? Only the offset is sure
            "CST,           +08:00, 2026-12-01T00:00:00Z, +08:00,        true",
            "EST,           -05:00, 2026-12-01T00:00:00Z, -05:00,        true",
            "'',            +03:00, 2026-12-01T00:00:00Z, +03:00,        true"})
    void mariaDbsSystemZoneIsNamedOnlyWhenTheNameIsOneZone(String system, String measured, String now, String zone, boolean guessed) {
        DatabaseZone detected = DatabaseZone.systemZone(system, ZoneOffset.of(measured), Instant.parse(now));

        assertThat(detected.zone()).isEqualTo(ZoneId.of(zone));
        assertThat(detected.guessed()).isEqualTo(guessed);
    }

    @Test
    void h2TakesItsSessionsTimeZone() throws SQLException {
        try (Connection hub = DriverManager.getConnection("jdbc:h2:mem:zone-test;TIME ZONE=America/New_York", "sa", "")) {
            assertThat(DatabaseZone.detect(hub)).isEqualTo(new DatabaseZone(ZoneId.of("America/New_York"),
                    "the session's TIME ZONE setting", false));
        }
    }

    private static String setting(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
