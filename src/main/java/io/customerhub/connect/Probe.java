package io.customerhub.connect;

import java.sql.SQLException;
import java.util.List;

/**
 * What connecting to one declared system found, as {@code check} and {@code discover} report it: whether it was
 * reached and let the hub in with the declared credentials, the fields it offers (columns, JSON keys, a CSV header),
 * and which of the fields its mapping names are not among them.
 *
 * @param system  the declaration's source name
 * @param role    {@code source} or {@code sync target}
 * @param where   what was connected to, without secrets: a JDBC URL without its parameters, an HTTP URL, a folder
 * @param outcome how far it got
 * @param detail  the failure as the system gave it; for one that got through, what was found when not fields
 *                (a folder with no file yet); else null
 * @param fields  the fields found, in the system's order; empty when none could be read
 * @param missing the fields the mapping names that were not found
 */
public record Probe(String system, String role, String where, Outcome outcome, String detail, List<String> fields,
                    List<String> missing) {

    /** How far a probe got. */
    public enum Outcome { OK, UNREACHABLE, NOT_AUTHENTICATED, FIELDS_MISSING, FAILED }

    public Probe {
        fields = List.copyOf(fields);
        missing = List.copyOf(missing);
    }

    /** A probe that got through and found {@code fields}, of which those in {@code named} must be. */
    public static Probe found(String system, String role, String where, List<String> fields, List<String> named) {
        List<String> missing = named.stream().filter(name -> !fields.contains(name)).toList();
        return new Probe(system, role, where, missing.isEmpty() ? Outcome.OK : Outcome.FIELDS_MISSING, null, fields, missing);
    }

    /** A probe that got through to a system with no fields to compare (a folder to write to, one with no file yet). */
    public static Probe reached(String system, String role, String where, String detail) {
        return new Probe(system, role, where, Outcome.OK, detail, List.of(), List.of());
    }

    /** A probe that failed with {@code failure}, told apart as unreachable, refused credentials or another failure. */
    public static Probe failed(String system, String role, String where, Outcome outcome, Exception failure) {
        StringBuilder detail = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            if (detail.indexOf(message) < 0) {
                detail.append(detail.length() == 0 ? "" : ": ").append(message);
            }
        }
        return new Probe(system, role, where, outcome, detail.toString(), List.of(), List.of());
    }

    /**
     * A failed JDBC connection: SQLSTATE class 28 is refused credentials (PostgreSQL, MariaDB, H2 alike), anything
     * else on connecting an unreachable database.
     */
    public static Probe failedToConnect(String system, String role, String where, SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return failed(system, role, where, Outcome.NOT_AUTHENTICATED, failure);
            }
        }
        return failed(system, role, where, Outcome.UNREACHABLE, failure);
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }

    /** One line of the {@code check} report. */
    public String line() {
        String head = system + " " + role + " (" + where + "): ";
        return head + switch (outcome) {
            case OK -> detail != null ? detail
                    : "reachable, authenticated, " + fields.size() + " fields, every field the mapping names among them";
            case FIELDS_MISSING -> "reachable, authenticated, but the mapping names fields it does not have: "
                    + String.join(", ", missing) + " (it has " + String.join(", ", fields) + ")";
            case UNREACHABLE -> "unreachable: " + detail;
            case NOT_AUTHENTICATED -> "reachable, but the credentials were refused: " + detail;
            case FAILED -> "failed: " + detail;
        };
    }
}
