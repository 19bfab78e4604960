package io.customerhub.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The time zone of a database's {@code TIMESTAMP} values without zone: the zone its own sessions
 * stamp them in ({@code now()}, {@code CURRENT_TIMESTAMP}), so that the {@code jdbc-source} reads
 * them as the instants they are and the {@code jdbc-sync} writes them as the database would. It is
 * the route's {@code time-zone} parameter when given, else detected on the first connection:
 * <ul>
 * <li>PostgreSQL: the zone a session gets when its client sets none, in the server's order:
 *     {@code ALTER ROLE ... IN DATABASE}, {@code ALTER ROLE}, {@code ALTER DATABASE},
 *     {@code ALTER ROLE ALL ... SET TimeZone}, then the server's configuration
 *     ({@code pg_file_settings}, readable by superusers); else {@code log_timezone}, which initdb
 *     sets to the same zone, as a guess. Never the connection's own {@code TimeZone}: the JDBC
 *     driver sets it to the hub's JVM zone.</li>
 * <li>MariaDB/MySQL: {@code @@session.time_zone}; when it is {@code SYSTEM}, {@code @@system_time_zone}
 *     if it names a zone unambiguously (UTC, a region whose offset matches the server's clock),
 *     else the offset between {@code NOW()} and {@code UTC_TIMESTAMP()} as a guess.</li>
 * <li>H2: the session's {@code TIME ZONE} setting; else the offset of {@code CURRENT_TIMESTAMP}
 *     as a guess.</li>
 * </ul>
 * A guess (or a detection that failed, which falls back to the hub's JVM zone) is logged as a
 * WARN naming the route and the zone used; a detected zone as an INFO. A connection lost while
 * detecting fails the caller instead, which asks again on its next connection. Never the cleansing zone
 * ({@code hub.cleanse.time-zone}): that is for text written by people, not for a database's clock.
 *
 * @param zone    the zone
 * @param how     where it came from, for the log line: {@code the database's TimeZone setting}
 * @param guessed whether it is a guess the integrator should confirm with the {@code time-zone} parameter
 */
public record DatabaseZone(ZoneId zone, String how, boolean guessed) {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseZone.class);

    /** The zones of the tz database by lower-case name: PostgreSQL, MariaDB's time zone tables and Java share it. */
    private static final Map<String, String> TZDB = ZoneId.getAvailableZoneIds().stream()
            .collect(Collectors.toUnmodifiableMap(id -> id.toLowerCase(Locale.ROOT), id -> id, (a, b) -> a));

    private static final Set<String> UTC_NAMES = Set.of("UTC", "GMT", "UCT");

    /**
     * Checks a {@code time-zone} parameter.
     *
     * @return the zone, or null when it is not set ({@code "-"}): detect it
     * @throws IllegalArgumentException naming the parameter
     */
    public static ZoneId parameter(String timeZone) {
        if (!TemplateParameters.isSet(timeZone)) {
            return null;
        }
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time-zone: '" + timeZone + "' is not a time zone such as Asia/Shanghai", e);
        }
    }

    /**
     * The zone of {@code connection}'s database: {@code configured} when set, else detected; logged
     * once (INFO, or WARN for a guess) as {@code owner}'s.
     *
     * @param owner the route's reader or writer in the log line: {@code source erp}, {@code sync erp}
     * @throws SQLException when the connection is lost while detecting
     */
    public static ZoneId resolve(Connection connection, ZoneId configured, String owner) throws SQLException {
        DatabaseZone resolved = configured != null
                ? new DatabaseZone(configured, "the time-zone parameter", false)
                : detect(connection);
        if (resolved.guessed()) {
            LOG.warn("{}: TIMESTAMP values without zone are taken to be in {}, a guess ({}); set the time-zone"
                    + " parameter to the zone the database stamps them in", owner, resolved.zone(), resolved.how());
        } else {
            LOG.info("{}: TIMESTAMP values without zone are in {} ({})", owner, resolved.zone(), resolved.how());
        }
        return resolved.zone();
    }

    /**
     * Detects the zone of {@code connection}'s database; a statement the database refuses (a
     * privilege) makes it a guess.
     *
     * @throws SQLException when the connection is lost
     */
    public static DatabaseZone detect(Connection connection) throws SQLException {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String product = String.valueOf(meta.getDatabaseProductName()).toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return postgres(connection);
            }
            if (product.contains("mariadb") || product.contains("mysql")) {
                return mariaDb(connection);
            }
            if (product.equals("h2")) {
                return h2(connection);
            }
            return jvm(product + " is no PostgreSQL, MariaDB/MySQL or H2 database");
        } catch (SQLException e) {
            if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                    || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e;
            }
            return jvm("detection failed: " + e.getMessage());
        }
    }

    private static DatabaseZone jvm(String why) {
        return new DatabaseZone(ZoneId.systemDefault(), "the hub's JVM zone; " + why, true);
    }

    private static DatabaseZone postgres(Connection connection) throws SQLException {
        // the most specific setting wins: role in this database, role, database, then ALTER ROLE ALL
        String best = null;
        int bestRank = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT s.setconfig, CASE WHEN s.setdatabase <> 0 AND s.setrole <> 0 THEN 4 WHEN s.setrole <> 0 THEN 3"
                        + " WHEN s.setdatabase <> 0 THEN 2 ELSE 1 END"
                        + " FROM pg_catalog.pg_db_role_setting s"
                        + " WHERE s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))"
                        + " AND s.setrole IN (0, (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user))");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String value = timeZoneSetting(rs.getArray(1));
                if (value != null && rs.getInt(2) > bestRank) {
                    best = value;
                    bestRank = rs.getInt(2);
                }
            }
        }
        if (best != null) {
            String how = switch (bestRank) {
                case 4 -> "the TimeZone setting of this role in this database";
                case 3 -> "the TimeZone setting of this role";
                case 2 -> "the database's TimeZone setting";
                default -> "the TimeZone setting of all roles";
            };
            return postgresZone(connection, best, how);
        }
        String configured = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT setting FROM pg_catalog.pg_file_settings WHERE lower(name) = 'timezone' AND applied");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                configured = rs.getString(1);
            }
        } catch (SQLException e) {
            // readable by superusers only; log_timezone is readable by all, and initdb sets it to the same zone
            try (PreparedStatement select = connection.prepareStatement("SELECT current_setting('log_timezone')");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                DatabaseZone zone = postgresZone(connection, rs.getString(1),
                        "the server's timezone setting is not readable by this user; its log_timezone is");
                return new DatabaseZone(zone.zone(), zone.how(), true);
            }
        }
        if (configured == null) {
            return postgresZone(connection, "GMT", "the server's built-in default, no timezone being configured:");
        }
        return postgresZone(connection, configured, "the server's timezone setting");
    }

    /** The value of {@code TimeZone=...} in a {@code pg_db_role_setting.setconfig} array, or null. */
    private static String timeZoneSetting(Array setconfig) throws SQLException {
        if (setconfig == null) {
            return null;
        }
        for (Object entry : (Object[]) setconfig.getArray()) {
            String text = String.valueOf(entry);
            int equals = text.indexOf('=');
            if (equals > 0 && text.substring(0, equals).strip().equalsIgnoreCase("timezone")) {
                return text.substring(equals + 1).strip();
            }
        }
        return null;
    }

    /**
     * PostgreSQL's zone {@code name} as Java's: the same region, or, for a name Java does not know
     * (a POSIX rule such as {@code UTC+8}, whose sign is the reverse of ISO's), its offset now as
     * PostgreSQL computes it, a fixed offset and so a guess.
     */
    private static DatabaseZone postgresZone(Connection connection, String name, String how) throws SQLException {
        ZoneId zone = region(name);
        if (zone != null) {
            return new DatabaseZone(zone, how + " " + name, false);
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT CAST(EXTRACT(EPOCH FROM (now() AT TIME ZONE ?) - (now() AT TIME ZONE 'UTC')) AS INTEGER)")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new DatabaseZone(ZoneOffset.ofTotalSeconds(rs.getInt(1)), how + " " + name
                        + ", which Java does not know, as its offset now", true);
            }
        }
    }

    private static DatabaseZone mariaDb(Connection connection) throws SQLException {
        String session;
        String system;
        int offset;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT @@session.time_zone, @@system_time_zone, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            session = rs.getString(1);
            system = rs.getString(2);
            offset = rs.getInt(3);
        }
        // NOW() and UTC_TIMESTAMP() are read at one instant but rounded to the second: round to whole minutes
        ZoneOffset measured = ZoneOffset.ofTotalSeconds(Math.round(offset / 60.0f) * 60);
        if (session != null && !session.equalsIgnoreCase("SYSTEM")) {
            ZoneId zone = region(session);
            if (zone == null) {
                zone = offset(session);
            }
            if (zone != null) {
                return new DatabaseZone(zone, "the session's time_zone " + session, false);
            }
            return new DatabaseZone(measured, "the session's time_zone " + session
                    + ", which Java does not know, as the offset of NOW() from UTC_TIMESTAMP()", true);
        }
        return systemZone(system, measured, Instant.now());
    }

    /**
     * MariaDB's {@code time_zone = SYSTEM}: the server's {@code system_time_zone} when it names one
     * zone (UTC, or a region whose offset at {@code now} is the {@code measured} one), else the
     * measured offset as a guess. The name is the server's tzname, often an abbreviation: CST is
     * China's or Chicago's, EST has no daylight saving, CEST is only the summer half.
     */
    static DatabaseZone systemZone(String systemTimeZone, ZoneOffset measured, Instant now) {
        String name = systemTimeZone == null ? "" : systemTimeZone.strip();
        ZoneId region = name.indexOf('/') > 0 || UTC_NAMES.contains(name.toUpperCase(Locale.ROOT)) ? region(name) : null;
        if (region != null && region.getRules().getOffset(now).equals(measured)) {
            return new DatabaseZone(region, "time_zone SYSTEM, the server's system_time_zone " + name, false);
        }
        return new DatabaseZone(measured, "time_zone SYSTEM and system_time_zone '" + name
                + "' names no zone: the offset of NOW() from UTC_TIMESTAMP(), which ignores daylight saving", true);
    }

    private static DatabaseZone h2(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'TIME ZONE'");
             ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                ZoneId zone = region(rs.getString(1));
                if (zone == null) {
                    zone = offset(rs.getString(1));
                }
                if (zone != null) {
                    return new DatabaseZone(zone, "the session's TIME ZONE setting", false);
                }
            }
        } catch (SQLException e) {
            // an H2 before 2.0 has no such setting: the offset below
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return new DatabaseZone(rs.getObject(1, java.time.OffsetDateTime.class).getOffset(),
                    "the offset of CURRENT_TIMESTAMP, which ignores daylight saving", true);
        }
    }

    /**
     * The tz database zone named {@code name} (any case), or null. Java's own offset forms are not
     * taken: {@code UTC+8} is UTC-8 to PostgreSQL (POSIX signs), UTC+8 to Java.
     */
    private static ZoneId region(String name) {
        String id = name == null ? null : TZDB.get(name.strip().toLowerCase(Locale.ROOT));
        return id == null ? null : ZoneId.of(id);
    }

    /** An offset written {@code +08:00} or {@code -05:00}, or null. */
    private static ZoneOffset offset(String text) {
        try {
            return ZoneOffset.of(text.strip());
        } catch (DateTimeException | NullPointerException e) {
            return null;
        }
    }
}
