package io.customerhub.sync;

import io.customerhub.connect.Configured;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.DatabaseZone;
import io.customerhub.connect.JdbcEndpoint;
import io.customerhub.connect.JdbcPool;
import io.customerhub.connect.Option;
import io.customerhub.connect.Probe;
import io.customerhub.connect.SqlIdentifier;
import io.customerhub.connect.SqlType;
import io.customerhub.connect.TemplateParameters;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The writer of one database target, created per route by the {@code jdbc-sync} template: it
 * upserts each change into {@code table} by the key column, setting the columns the source's field
 * mapping reads (the mapping read backwards, {@link FieldMapping#writableFields()}), plus the
 * optional updated column (the change's time, so the target's own pollers see a newer row) and
 * deleted column (the golden record's deletion). A value the golden record lacks sets its column to
 * NULL: the row then says what the golden record says.
 *
 * <p>One upsert per dialect ({@link UpsertStatement}), detected from the database: PostgreSQL
 * {@code ON CONFLICT}, MariaDB/MySQL {@code ON DUPLICATE KEY UPDATE}, H2 {@code MERGE ... KEY}. The
 * column types are read once, from the table itself, and canonical text is converted to them
 * ({@link SqlType}); a value that does not convert fails only its own change. Columns
 * without a zone get local times in the database's zone ({@link DatabaseZone}: the
 * {@code time-zone} parameter, or the zone detected on the first write), the stamps the
 * database's own {@code now()} would give, which its {@code jdbc-source} reads back as the same
 * instants.
 *
 * <p>A batch is written in one transaction with JDBC batching. When the database refuses it, each
 * change is written again in a transaction of its own, so that a change the table refuses (too
 * long, NOT NULL) reports its own error while the others are written; when the database cannot be
 * reached, {@link #write} throws and nothing counts as written. Writes are idempotent: the same
 * change written twice leaves the same row (the updated column is the change's time, not the
 * writing's).
 *
 * <p>A JavaBean and Camel {@link Service} like the {@code jdbc-source} reader: {@link #init()}
 * checks the parameters without connecting, the pool ({@link JdbcPool}) is opened on the first
 * write and closed when the route stops.
 */
public final class JdbcSyncWriter extends Configured implements SyncWriter, Connector, Service {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSyncWriter.class);

    @Option(name = "source", description = "Source system name (kebab-case) written back to. Route id "
            + "<source>-sync, outbox target <source>.")
    private String source;
    @Option.Nested
    private final JdbcEndpoint endpoint = new JdbcEndpoint();
    @Option(name = "table", description = "Table to write (letters, digits, _; optionally schema.table).")
    private String table;
    @Option(name = "key-column", description = "The table's primary key (or unique) column, the mapping's key; "
            + "rows are upserted by it.")
    private String keyColumn;
    @Option(name = "updated-column", description = "Column set to the change's time on every write, so the table's "
            + "own pollers see a newer row ('-' = none).", defaultValue = "-")
    private String updatedColumn;
    @Option(name = "deleted-column", description = "Column set to true (1) for a golden record's deletion and "
            + "false (0) otherwise ('-' = deletions are not written).", defaultValue = "-")
    private String deletedColumn;
    @Option(name = "mapping", description = "The source's field mapping (YAML, see routes/README.md), read "
            + "backwards; only plain columns are written.")
    private String mapping;
    @Option(name = "create", description = "How customers the database does not hold yet get there: golden-id (a "
            + "row keyed by the golden id; refused once, not retried, when the key column cannot hold 36 characters), "
            + "target-assigned (a row without the key; the key the database generates joins the golden record) or never "
            + "(only customers it holds get changes).", defaultValue = "golden-id")
    private CreatePolicy create;

    private UpsertStatement.Dialect urlDialect;
    private SqlIdentifier tableName;
    /** The columns in statement order: the key, the mapped ones, then updated and deleted when set. */
    private List<SqlIdentifier> columns;
    /** Per mapped column (after the key), the canonical field it holds. */
    private List<CanonicalField> mapped;
    private Set<CanonicalField> fields;
    /** The time-zone parameter, or null: detect the database's. */
    private ZoneId configuredZone;
    private String origin;
    private volatile JdbcPool pool;
    private Connectors connectors;
    private volatile Target target;

    /** The statement, the column types and the zone of times without one, read from the database on the first write. */
    /**
     * @param insertSql  the insert without the key column, for {@link CreatePolicy#TARGET_ASSIGNED} (else null)
     * @param keyLength  the declared length of a text key column (0 when unknown or unbounded)
     * @param conditionalSql the update of a row only while its updated column is not later than a given time (null
     *                   without an updated column): how a change based on a known state of the row is written
     */
    private record Target(String sql, SqlType[] types, int[] sqlTypes, ZoneId zone, String insertSql, int keyLength,
                          String conditionalSql) {
    }

    /** Checks the parameters; connects to nothing. Idempotent (Camel calls it again when it starts the route). */
    @Override
    public void init() {
        configure();
        TemplateParameters.checkKebabCase(source);
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sync " + source + ": " + e.getMessage(), e);
        }
        if (pool != null) {
            pool.close(); // initialised again: the route is starting again
        }
        pool = endpoint.open("sync " + source, "jdbc-sync-" + source, false);
        if (connectors != null) {
            connectors.register(this);
        }
    }

    @Override
    public String system() {
        return source;
    }

    /** Connects with the declared user and password and reads the table's columns (lower case), which the writes need. */
    @Override
    public Probe probe() {
        String where = JdbcPool.withoutParameters(endpoint.url()) + " table " + table;
        Connection connection;
        try {
            connection = pool.connection();
        } catch (SQLException e) {
            return Probe.failedToConnect(source, "sync target", where, e);
        }
        try (connection; PreparedStatement select = connection.prepareStatement("SELECT * FROM " + tableName + " t WHERE 1 = 0");
             ResultSet rs = select.executeQuery()) {
            return Probe.found(source, "sync target", where, JdbcPool.labels(rs.getMetaData()),
                    columns.stream().map(column -> column.text().toLowerCase(Locale.ROOT)).toList());
        } catch (SQLException e) {
            return Probe.failed(source, "sync target", where, Probe.Outcome.FAILED, e);
        }
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
    }

    private void check() {
        configuredZone = endpoint.check();
        urlDialect = UpsertStatement.Dialect.ofUrl(endpoint.url());
        if (urlDialect == null) {
            throw new IllegalArgumentException("url: " + JdbcPool.withoutParameters(endpoint.url()) + " is no PostgreSQL, MariaDB/MySQL or H2 database");
        }
        endpoint.checkDriver();
        tableName = SqlIdentifier.table("table", table);
        SqlIdentifier key = SqlIdentifier.column("key-column", keyColumn);
        SqlIdentifier updated = set(updatedColumn) ? SqlIdentifier.column("updated-column", updatedColumn) : null;
        SqlIdentifier deleted = set(deletedColumn) ? SqlIdentifier.column("deleted-column", deletedColumn) : null;
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("mapping: required");
        }
        Map<CanonicalField, String> writable = FieldMapping.parse(mapping).writableFields();
        String mappedKey = writable.remove(CanonicalField.SOURCE_KEY);
        if (mappedKey != null && !mappedKey.equalsIgnoreCase(keyColumn)) {
            throw new IllegalArgumentException("key-column: " + keyColumn + ", but the mapping's key is " + mappedKey
                    + "; the hub's source key is the target's key, so they must name the same column");
        }
        List<SqlIdentifier> all = new ArrayList<>();
        List<CanonicalField> holding = new ArrayList<>();
        all.add(key);
        for (Map.Entry<CanonicalField, String> field : writable.entrySet()) {
            all.add(SqlIdentifier.column("mapping: fields." + field.getKey().key(), field.getValue()));
            holding.add(field.getKey());
        }
        if (updated != null) {
            all.add(updated);
        }
        if (deleted != null) {
            all.add(deleted);
        }
        Set<String> seen = new HashSet<>();
        for (SqlIdentifier column : all) {
            if (!seen.add(column.text().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column " + column + " is written twice (by the mapping, key-column,"
                        + " updated-column or deleted-column); each column may be written once");
            }
        }
        if (create == CreatePolicy.TARGET_ASSIGNED && holding.isEmpty() && updated == null && deleted == null) {
            throw new IllegalArgumentException("create: target-assigned needs a column besides the key to insert");
        }
        columns = List.copyOf(all);
        mapped = List.copyOf(holding);
        EnumSet<CanonicalField> held = EnumSet.of(CanonicalField.SOURCE_KEY);
        held.addAll(holding);
        fields = Collections.unmodifiableSet(held);
        origin = JdbcPool.withoutParameters(endpoint.url()) + "#" + table;
        target = null;
    }

    /** "-" stands for "not set": Camel template parameters cannot default to an empty string. */
    private static boolean set(String parameter) {
        return parameter != null && !parameter.isBlank() && !"-".equals(parameter);
    }

    @Override
    public Set<CanonicalField> fields() {
        return fields;
    }

    @Override
    public CreatePolicy create() {
        return create;
    }

    @Override
    public List<WriteOutcome> write(List<OutboundChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return List.of();
        }
        String[] errors = new String[changes.size()];
        WriteOutcome[] outcomes = new WriteOutcome[changes.size()];
        try (Connection connection = pool.connection()) {
            Target statement = target(connection);
            Object[][] rows = new Object[changes.size()][];
            List<Integer> pending = new ArrayList<>();
            List<Integer> assigning = new ArrayList<>();
            List<Integer> conditional = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                OutboundChange change = changes.get(i);
                if (change.deleted() && (change.created() || !set(deletedColumn))) {
                    // nothing to mark: the target never had it, or keeps no deletion flag
                    continue;
                }
                boolean assigns = change.created() && create == CreatePolicy.TARGET_ASSIGNED;
                String refusal = change.created() && !assigns ? keyRefusal(statement, change.targetKey()) : null;
                if (refusal != null) {
                    outcomes[i] = WriteOutcome.refused(refusal);
                    continue;
                }
                try {
                    rows[i] = values(change, statement, !assigns);
                    if (assigns) {
                        assigning.add(i);
                    } else if (statement.conditionalSql() != null && !change.created() && change.basedOn() != null) {
                        // written only while the row's updated column is not newer than what the hub knows
                        rows[i] = Arrays.copyOf(rows[i], rows[i].length + 1);
                        rows[i][rows[i].length - 1] = statement.types()[updatedIndex()].value(change.basedOn(), statement.zone());
                        conditional.add(i);
                    } else {
                        pending.add(i);
                    }
                } catch (IllegalArgumentException e) {
                    errors[i] = e.getMessage();
                }
            }
            if (!pending.isEmpty()) {
                write(connection, statement.sql(), (upsert, row) -> bind(upsert, statement, row), rows, pending, errors);
            }
            if (!conditional.isEmpty()) {
                int[] counts = write(connection, statement.conditionalSql(), (update, row) -> bindConditional(update, statement, row),
                        rows, conditional, errors);
                for (int i : conditional) {
                    if (errors[i] == null && counts[i] == 0) {
                        errors[i] = "not written: the row changed after " + changes.get(i).basedOn() + ", the last change the"
                                + " hub read or wrote there (an edit the hub has not read yet is not overwritten; it is read,"
                                + " settled by the survivorship rules, and this change is written again or replaced), or is gone";
                    }
                }
            }
            for (int i : assigning) {
                outcomes[i] = insert(connection, statement, rows[i]);
            }
        } catch (SQLException e) {
            // PostgreSQL names the failing statement with its values in a batch's exception, the cause alone in the next
            SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
            throw new SQLException("sync " + source + ": cannot write to " + origin + ": " + reason(cause), e.getSQLState(), e);
        }
        List<WriteOutcome> result = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            result.add(outcomes[i] != null ? outcomes[i] : WriteOutcome.of(errors[i]));
        }
        return result;
    }

    /**
     * Inserts a new customer without a key ({@link CreatePolicy#TARGET_ASSIGNED}), in a transaction of its own, and
     * reports the key the database generated. Not idempotent, unlike the upsert: a crash after the insert and before
     * the hub records it writes the customer a second time.
     */
    private WriteOutcome insert(Connection connection, Target statement, Object[] row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(statement.insertSql(), new String[] {keyColumn})) {
            for (int i = 1; i < row.length; i++) {
                bind(insert, i, statement, i, row[i]); // the key, column 0, is left out
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next() || keys.getString(1) == null) {
                    return WriteOutcome.refused("key-column " + keyColumn + " got no generated key: with create: target-assigned"
                            + " the database must generate it (an identity, serial or auto-increment column)");
                }
                return WriteOutcome.created(keys.getString(1));
            }
        } catch (SQLException e) {
            if (lost(connection, e)) {
                throw e;
            }
            return WriteOutcome.failed(reason(e));
        }
    }

    /** Binds the parameters of one row of {@link #values}. */
    private interface Binder {
        void bind(PreparedStatement statement, Object[] row) throws SQLException;
    }

    /**
     * Writes the rows {@code pending} with {@code sql}: in one transaction with JDBC batching, or, when the database
     * refuses the batch, each in a transaction of its own, its error in {@code errors}. Returns the update count of
     * each change written (by change index; -2 when the driver does not say).
     */
    private int[] write(Connection connection, String sql, Binder binder, Object[][] rows, List<Integer> pending, String[] errors)
            throws SQLException {
        int[] counts = new int[rows.length];
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            try {
                for (int i : pending) {
                    binder.bind(statement, rows[i]);
                    statement.addBatch();
                }
                int[] batch = statement.executeBatch();
                connection.commit();
                for (int n = 0; n < pending.size(); n++) {
                    counts[pending.get(n)] = batch[n];
                }
                return counts;
            } catch (SQLException e) {
                rollback(connection);
                if (lost(connection, e)) {
                    throw e;
                }
                LOG.debug("sync {}: the batch of {} was refused ({}); writing each change on its own", source, pending.size(),
                        reason(e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e));
            }
            statement.clearBatch();
            for (int i : pending) {
                try {
                    binder.bind(statement, rows[i]);
                    counts[i] = statement.executeUpdate();
                    connection.commit();
                } catch (SQLException e) {
                    rollback(connection);
                    if (lost(connection, e)) {
                        throw e;
                    }
                    errors[i] = reason(e);
                }
            }
            return counts;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is gone: the pool drops it, and the failure that ended it is the one to report
            }
        }
    }

    /**
     * Why the database refused a row, on one line: the first line of its message (PostgreSQL adds
     * the failing row's values, H2 the statement), with the SQL state.
     */
    static String reason(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        String first = (end < 0 ? message : message.substring(0, end)).strip();
        if (first.endsWith("; SQL statement:")) {
            first = first.substring(0, first.length() - "; SQL statement:".length());
        }
        return (e.getSQLState() == null ? "" : "SQL state " + e.getSQLState() + ": ") + first;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is gone: lost() says so
        }
    }

    /** Whether {@code e} says the database is out of reach rather than that it refused a row. */
    private static boolean lost(Connection connection, SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
            return true;
        }
        try {
            return !connection.isValid(2);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /** The bind values of one change, in column order; without the key (null) when the database assigns it. */
    private Object[] values(OutboundChange change, Target statement, boolean withKey) {
        Object[] values = new Object[columns.size()];
        ZoneId zone = statement.zone();
        if (withKey) {
            values[0] = value(statement.types()[0], CanonicalField.SOURCE_KEY, change.targetKey(), zone);
            if (values[0] == null) {
                throw new IllegalArgumentException("key-column " + keyColumn + ": the change has no target key");
            }
        }
        int column = 1;
        for (CanonicalField field : mapped) {
            values[column] = value(statement.types()[column], field, change.value(field), zone);
            column++;
        }
        if (set(updatedColumn)) {
            Instant at = change.changedAt() == null ? Instant.now() : change.changedAt();
            values[column] = statement.types()[column].value(at, zone);
            column++;
        }
        if (set(deletedColumn)) {
            SqlType type = statement.types()[column];
            values[column] = type == SqlType.BOOLEAN ? (Object) change.deleted()
                    : type.value(change.deleted() ? "1" : "0", zone);
        }
        return values;
    }

    private Object value(SqlType type, CanonicalField field, String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return type.value(text, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field.key() + ": " + e.getMessage() + " for column "
                    + columns.get(mapped.indexOf(field) + 1), e);
        }
    }

    private static void bind(PreparedStatement upsert, Target statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            bind(upsert, i + 1, statement, i, values[i]);
        }
    }

    /**
     * Binds a row of {@link #values} with its expected change time last to the conditional update: the columns after
     * the key, then the key, then the time the updated column may not be later than.
     */
    private void bindConditional(PreparedStatement update, Target statement, Object[] row) throws SQLException {
        int columns = row.length - 1;
        for (int column = 1; column < columns; column++) {
            bind(update, column, statement, column, row[column]);
        }
        bind(update, columns, statement, 0, row[0]);
        bind(update, columns + 1, statement, updatedIndex(), row[columns]);
    }

    /** The index of the updated column among {@link #columns}. */
    private int updatedIndex() {
        return columns.size() - (set(deletedColumn) ? 2 : 1);
    }

    /** Binds {@code value}, of column {@code column}, as parameter {@code parameter}. */
    private static void bind(PreparedStatement statement, int parameter, Target target, int column, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(parameter, target.sqlTypes()[column]);
        } else if (target.types()[column] == SqlType.OTHER) {
            // let the database cast the text to its own type (PostgreSQL json, enums)
            statement.setObject(parameter, value, Types.OTHER);
        } else {
            statement.setObject(parameter, value);
        }
    }

    /**
     * Why a new customer cannot be created under {@code key} (its golden id), or null when it can: the key column
     * is too short or of another type. Writing it again would not help: it is refused once, not retried.
     */
    private String keyRefusal(Target statement, String key) {
        String problem = null;
        if (statement.keyLength() > 0 && key.length() > statement.keyLength()) {
            problem = "holds at most " + statement.keyLength() + " characters";
        } else {
            try {
                statement.types()[0].value(key, statement.zone());
            } catch (IllegalArgumentException e) {
                problem = "is " + statement.types()[0].name().toLowerCase(Locale.ROOT);
            }
        }
        return problem == null ? null : "key-column " + keyColumn + " " + problem + ": it cannot hold the golden id " + key
                + " that a customer new to " + source + " is created under; set create: target-assigned (the database"
                + " assigns the key) or never";
    }

    /** The declared length of the key column when the database reports one (0 when it does not or it is unbounded). */
    private int keyLength(Connection connection) throws SQLException {
        String schema = tableName.text().contains(".") ? tableName.text().substring(0, tableName.text().indexOf('.')) : null;
        String table = tableName.text().substring(tableName.text().indexOf('.') + 1);
        var meta = connection.getMetaData();
        for (String name : List.of(table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT))) {
            for (String column : List.of(keyColumn, keyColumn.toLowerCase(Locale.ROOT), keyColumn.toUpperCase(Locale.ROOT))) {
                try (ResultSet rs = meta.getColumns(null, schema, name, column)) {
                    if (rs.next()) {
                        int size = rs.getInt("COLUMN_SIZE");
                        return size >= Integer.MAX_VALUE / 2 ? 0 : size;
                    }
                }
            }
        }
        return 0;
    }

    /** The statement and column types, read on the first write; the table's shape is taken to stay as it is. */
    private Target target(Connection connection) throws SQLException {
        Target current = target;
        if (current != null) {
            return current;
        }
        String product = connection.getMetaData().getDatabaseProductName();
        UpsertStatement.Dialect dialect = UpsertStatement.Dialect.ofProduct(product);
        if (dialect == null) {
            throw new SQLException(product + " is no PostgreSQL, MariaDB/MySQL or H2 database");
        }
        String names = columns.stream().map(SqlIdentifier::text).collect(Collectors.joining(", "));
        SqlType[] types = new SqlType[columns.size()];
        int[] sqlTypes = new int[columns.size()];
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT " + names + " FROM " + tableName + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 0; i < types.length; i++) {
                types[i] = SqlType.of(meta, i + 1);
                sqlTypes[i] = meta.getColumnType(i + 1);
            }
        }
        if (set(updatedColumn) && !types[updatedIndex()].isTime()) {
            throw new SQLException("updated-column " + updatedColumn + " is not a timestamp or a date");
        }
        if (set(deletedColumn)) {
            SqlType deleted = types[columns.size() - 1];
            if (deleted != SqlType.BOOLEAN && deleted != SqlType.INTEGER && deleted != SqlType.TEXT) {
                throw new SQLException("deleted-column " + deletedColumn + " is not a boolean, a number or a text");
            }
        }
        ZoneId zone = DatabaseZone.resolve(connection, configuredZone, "sync " + source);
        UpsertStatement upsert = new UpsertStatement(dialect, tableName, columns);
        current = new Target(upsert.sql(), types, sqlTypes, zone,
                create == CreatePolicy.TARGET_ASSIGNED ? upsert.insertWithoutKey() : null,
                types[0] == SqlType.TEXT ? keyLength(connection) : 0,
                set(updatedColumn) ? upsert.conditionalUpdate(columns.get(updatedIndex())) : null);
        LOG.info("sync {}: writing {} ({}) by {}, columns {}", source, origin, product, keyColumn, columns);
        target = current;
        return current;
    }

    @Override
    public void start() {
        // the pool is created on the first write
    }

    /** Closes the pool; a later write (the route started again) creates a new one and reads the table's shape and zone again. */
    @Override
    public void stop() {
        if (pool != null) {
            pool.close();
        }
        target = null;
    }
}
