package io.customerhub.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.connect.DatabaseZone;
import io.customerhub.connect.JdbcPool;
import io.customerhub.connect.SqlIdentifier;
import io.customerhub.connect.TemplateParameters;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import static io.customerhub.connect.TemplateParameters.isSet;

/**
 * The reader of one database source, created per route by the {@code jdbc-source} template: each
 * poll reads the rows of a table (or of the integrator's SELECT) changed since the watermark, in
 * batches paged by keyset on (updated column, key column), and maps every row with the source's
 * field mapping. Only one batch is in memory and one result set open at a time, and the
 * connection goes back to the pool between batches.
 *
 * <p>Column labels are lower-cased before mapping (PostgreSQL, MariaDB and H2 return them in
 * different cases), so a mapping names columns in lower case. Values are passed as text:
 * timestamps as ISO-8601 with their offset (a {@code TIMESTAMP} without zone is read in the
 * database's zone, {@link DatabaseZone}: the {@code time-zone} parameter or the zone detected on
 * the first connection, so the cleanser takes it as the instant it is), numbers as written,
 * booleans as {@code true}/{@code false}; binary columns are left out. The watermark keeps the
 * updated column's own value (a local date-time for a {@code TIMESTAMP}): it is only ever compared
 * with that column.
 *
 * <p>A JavaBean like {@link FileRecordSource}: {@link #init()} checks the parameters and fails
 * route creation on a bad one, but does not connect, so a database that is down at start does not
 * stop the daemon. The pool ({@link JdbcPool}) is opened on the first poll and closed when the
 * route stops: a Camel {@link Service} used by a {@code bean} step is stopped with its route.
 */
public final class JdbcRecordSource implements PolledSource, Service {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRecordSource.class);

    private String source;
    private String url;
    private String user = "-";
    private String passwordEnv = "-";
    private String passwordFile = "-";
    private String table = "-";
    private String query = "-";
    private String updatedColumn;
    private String keyColumn;
    private String mapping;
    private int batchSize = 1000;
    private String overlap = "PT5M";
    private int poolSize = 2;
    private long connectTimeout = 5000;
    private String timeZone = "-";

    private KeysetQuery statements;
    private FieldMapping fieldMapping;
    private Duration overlapWindow;
    private String origin;
    private ZoneId configuredZone;
    private volatile JdbcPool pool;
    private volatile boolean keyChecked;
    /** The zone of TIMESTAMP values without zone, resolved on the first connection of each pool. */
    private volatile ZoneId zone;

    /** Checks the parameters; connects to nothing. Idempotent (Camel calls it again when it starts the route). */
    @Override
    public void init() {
        TemplateParameters.checkKebabCase(source);
        String where = "source " + source + ": ";
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        if (pool != null) {
            pool.close(); // initialised again: the route is starting again
        }
        pool = JdbcPool.of("source " + source, "jdbc-source-" + source, url, user, passwordEnv, passwordFile,
                poolSize, connectTimeout, true);
        zone = null;
    }

    private void check() {
        JdbcPool.checkUrl(url);
        JdbcPool.checkDriver(url);
        SqlIdentifier updated = SqlIdentifier.column("updated-column", updatedColumn);
        SqlIdentifier key = SqlIdentifier.column("key-column", keyColumn);
        if (isSet(table) == isSet(query)) {
            throw new IllegalArgumentException("table and query: set exactly one of them");
        }
        statements = isSet(table)
                ? KeysetQuery.ofTable(SqlIdentifier.table("table", table), updated, key)
                : KeysetQuery.ofSelect(query, updated, key);
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("mapping: required");
        }
        fieldMapping = FieldMapping.parse(mapping);
        if (fieldMapping.groupsRows()) {
            throw new IllegalArgumentException("mapping: group-rows is not supported for database sources; "
                    + "join or aggregate in the query so that one row is one customer");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch-size: must be at least 1, not " + batchSize);
        }
        JdbcPool.checkSize(poolSize, connectTimeout);
        overlapWindow = TemplateParameters.nonNegativeDuration("overlap", overlap);
        configuredZone = DatabaseZone.parameter(timeZone);
        origin = JdbcPool.withoutParameters(url) + "#" + (isSet(table) ? table : "query");
    }

    @Override
    public Iterator<PolledBatch> batches(String watermark) {
        JdbcWatermark stored = watermark == null ? null : JdbcWatermark.decode(watermark);
        return new Poll(stored);
    }

    /** The rows after a watermark, one batch (one query) at a time, each query starting after the previous batch's last row. */
    private final class Poll implements Iterator<PolledBatch> {

        private final JdbcWatermark stored;
        private JdbcWatermark after;
        private PolledBatch next;
        private boolean exhausted;
        private long position;

        Poll(JdbcWatermark stored) {
            this.stored = stored;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !exhausted) {
                try {
                    next = fetch();
                } catch (RuntimeException e) {
                    // the poll has failed: asked again (as the splitter does when it finishes), there is nothing more
                    exhausted = true;
                    throw e;
                }
                if (next.records().isEmpty()) {
                    next = null;
                    exhausted = true;
                }
            }
            return next != null;
        }

        @Override
        public PolledBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            PolledBatch batch = next;
            next = null;
            return batch;
        }

        private PolledBatch fetch() {
            String sql;
            List<Object> parameters = new ArrayList<>(3);
            if (after != null) {
                sql = statements.after();
                parameters.add(after.at().bindable());
                parameters.add(after.at().bindable());
                parameters.add(after.key().bindable());
            } else if (stored != null) {
                // from the overlap window before the watermark: rows committed late with an older stamp
                sql = statements.since();
                parameters.add(stored.at().minus(overlapWindow).bindable());
            } else {
                sql = statements.everything();
            }
            List<SourceRecord> records = new ArrayList<>();
            JdbcWatermark last = null;
            try (Connection connection = connection();
                 PreparedStatement select = connection.prepareStatement(sql)) {
                select.setMaxRows(batchSize);
                select.setFetchSize(batchSize);
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    Columns columns = new Columns(rs.getMetaData(), zone);
                    while (records.size() < batchSize && rs.next()) {
                        ObjectNode row = columns.row(rs);
                        last = columns.position(rs);
                        if (!keyChecked) {
                            keyChecked = true;
                            if (fieldMapping.key(row) == null) {
                                LOG.warn("{}: the mapping's key gives no value for the first row read; the columns (lower case) are {}",
                                        source, columns.labels);
                            }
                        }
                        records.add(new SourceRecord(source, origin, ++position, fieldMapping.map(row), row.toString(), null));
                    }
                }
            } catch (SQLException e) {
                throw new SourceReadException("source " + source + ": cannot read " + origin + ": " + e.getMessage(), e);
            }
            if (records.size() < batchSize) {
                exhausted = true;
            }
            if (last == null) {
                return new PolledBatch(List.of(), null);
            }
            after = last;
            // the overlap window re-reads rows before the stored watermark: it does not move back for them
            boolean behind = stored != null && last.isBefore(stored);
            return new PolledBatch(records, behind ? null : last.encode());
        }
    }

    /** How to read the columns of one result set. */
    private final class Columns {
        private final int count;
        private final String[] labels;
        private final int[] types;
        private final ColumnValue.Kind[] kinds;
        private final int updated;
        private final int key;
        private final ColumnValue.Kind updatedKind;
        private final ColumnValue.Kind keyKind;
        private final ZoneId zone;

        Columns(ResultSetMetaData meta, ZoneId zone) throws SQLException {
            this.zone = zone;
            count = meta.getColumnCount();
            labels = new String[count];
            types = new int[count];
            kinds = new ColumnValue.Kind[count];
            int updatedAt = -1;
            int keyAt = -1;
            for (int i = 0; i < count; i++) {
                labels[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                types[i] = meta.getColumnType(i + 1);
                kinds[i] = ColumnValue.Kind.of(meta, i + 1);
                if (labels[i].equalsIgnoreCase(updatedColumn)) {
                    updatedAt = i + 1;
                }
                if (labels[i].equalsIgnoreCase(keyColumn)) {
                    keyAt = i + 1;
                }
            }
            if (updatedAt < 0 || keyAt < 0) {
                throw new SQLException((updatedAt < 0 ? "updated-column " + updatedColumn : "key-column " + keyColumn)
                        + " is not a column of the rows read; they have " + List.of(labels));
            }
            updated = updatedAt;
            key = keyAt;
            updatedKind = kinds[updated - 1];
            keyKind = kinds[key - 1];
            if (updatedKind == null || !updatedKind.isTime()) {
                throw new SQLException("updated-column " + updatedColumn + " is " + meta.getColumnTypeName(updated)
                        + ": expected a timestamp or a date");
            }
            if (keyKind == null || keyKind.isTime()) {
                throw new SQLException("key-column " + keyColumn + " is " + meta.getColumnTypeName(key)
                        + ": expected a whole number, a decimal, a text or a uuid");
            }
        }

        JdbcWatermark position(ResultSet rs) throws SQLException {
            return new JdbcWatermark(ColumnValue.read(rs, updated, updatedKind), ColumnValue.read(rs, key, keyKind));
        }

        ObjectNode row(ResultSet rs) throws SQLException {
            ObjectNode row = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < count; i++) {
                String text = text(rs, i);
                if (text != null) {
                    row.put(labels[i], text);
                } else if (!row.has(labels[i])) {
                    row.putNull(labels[i]);
                }
            }
            return row;
        }

        private String text(ResultSet rs, int i) throws SQLException {
            int column = i + 1;
            if (kinds[i] == ColumnValue.Kind.TIMESTAMP_TZ) {
                OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
            }
            if (kinds[i] == ColumnValue.Kind.TIMESTAMP) {
                // the instant it is, so that no later stage reads it in a zone of its own
                LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value.atZone(zone));
            }
            if (kinds[i] == ColumnValue.Kind.DATE) {
                LocalDate value = rs.getObject(column, LocalDate.class);
                return value == null ? null : value.toString();
            }
            if (types[i] == Types.TIME || types[i] == Types.TIME_WITH_TIMEZONE) {
                return rs.getString(column);
            }
            Object value = rs.getObject(column);
            if (value == null || value instanceof byte[] || value instanceof Blob) {
                return null;
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.toPlainString();
            }
            if (value instanceof Clob clob) {
                return clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
            }
            return value.toString();
        }
    }

    /** A connection from the pool, which the first poll opens; the first connection resolves the database's zone. */
    private Connection connection() throws SQLException {
        if (!pool.isOpen()) {
            LOG.info("{}: reading {} as {} (pool of {})", source, origin, isSet(user) ? user : "(no user)", poolSize);
        }
        Connection connection = pool.connection();
        if (zone == null) {
            try {
                zone = DatabaseZone.resolve(connection, configuredZone, "source " + source);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    @Override
    public void start() {
        // the pool is created on the first poll
    }

    /** Closes the pool; a later poll (the route started again) creates a new one and resolves the zone again. */
    @Override
    public void stop() {
        if (pool != null) {
            pool.close();
        }
        zone = null;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public void setUpdatedColumn(String updatedColumn) {
        this.updatedColumn = updatedColumn;
    }

    public void setKeyColumn(String keyColumn) {
        this.keyColumn = keyColumn;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public void setOverlap(String overlap) {
        this.overlap = overlap;
    }

    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
