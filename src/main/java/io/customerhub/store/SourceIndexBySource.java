package io.customerhub.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 23 of the schema: the index of {@code customer_source} on {@code customer_id} becomes one on
 * {@code (customer_id, source)}. What a sync target holds of the customers it is sent is then looked up by pairs
 * along it: a customer the target does not hold yet (most of a load's) costs an index look-up, where every record of
 * the customer in every source was read to be dropped. Queries by {@code customer_id} alone use its first column.
 *
 * <p>The foreign key from {@code customer_id} to {@code customer} goes: H2 ties it to an index on exactly that column, so
 * it would keep a fourth index of its own (an entry more written per record), and PostgreSQL checks it with a trigger per
 * inserted row. Golden records are never deleted (a merged one stays, marked {@code MERGED}), and a source record is
 * written with its golden record in one transaction. A Java migration because the key's name is one the database made
 * up: it is dropped by the name the database reports.
 */
final class SourceIndexBySource extends StoreMigration {

    SourceIndexBySource() {
        super("23", "customer source index by source", 1);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            for (String key : foreignKeysOnCustomer(connection)) {
                statement.execute("ALTER TABLE customer_source DROP CONSTRAINT \"" + key + "\"");
            }
            statement.execute("DROP INDEX ix_customer_source_customer");
            statement.execute("CREATE INDEX ix_customer_source_customer ON customer_source (customer_id, source)");
        }
    }

    /** The names of the foreign keys from {@code customer_source} to {@code customer}, as the database reports them. */
    private static List<String> foreignKeysOnCustomer(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String table = metaData.storesUpperCaseIdentifiers() ? "CUSTOMER_SOURCE" : "customer_source";
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = metaData.getImportedKeys(connection.getCatalog(), connection.getSchema(), table)) {
            while (rs.next()) {
                if (rs.getString("PKTABLE_NAME").equalsIgnoreCase("customer") && rs.getString("FK_NAME") != null
                        && !keys.contains(rs.getString("FK_NAME"))) {
                    keys.add(rs.getString("FK_NAME"));
                }
            }
        }
        return keys;
    }
}
