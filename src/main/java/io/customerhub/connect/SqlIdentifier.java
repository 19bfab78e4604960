package io.customerhub.connect;

import java.util.regex.Pattern;

/**
 * A table or column name from a {@code jdbc-source} or {@code jdbc-sync} parameter, checked before it goes into SQL:
 * letters, digits and underscores, not starting with a digit, at most 63 characters (a table may
 * be qualified by a schema, {@code sales.customer}). It is written unquoted, so each database
 * applies its own case rule (PostgreSQL folds to lower case, H2 to upper case) just as in the
 * integrator's own SQL; nothing that fails the check ever reaches a statement.
 */
public record SqlIdentifier(String text) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern QUALIFIED = Pattern.compile(NAME.pattern() + "(\\." + NAME.pattern() + "){0,2}");

    /** A column name. */
    public static SqlIdentifier column(String parameter, String value) {
        return checked(parameter, value, NAME, "a column name (letters, digits, _)");
    }

    /** A table name, optionally qualified: {@code customer}, {@code sales.customer}. */
    public static SqlIdentifier table(String parameter, String value) {
        return checked(parameter, value, QUALIFIED, "a table name (letters, digits, _; optionally schema.table)");
    }

    private static SqlIdentifier checked(String parameter, String value, Pattern pattern, String expected) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(parameter + ": required, " + expected);
        }
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(parameter + ": '" + value + "' is not " + expected);
        }
        return new SqlIdentifier(value);
    }

    @Override
    public String toString() {
        return text;
    }
}
