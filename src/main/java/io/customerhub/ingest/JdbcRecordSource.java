package io.customerhub.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.customerhub.record.SourceRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>The overlap window is re-read on every poll; rows in it that the store already holds unchanged
 * are skipped before they are handed on ({@link OverlapFilter}), counted as
 * {@code hub.ingest.unchanged.rereads{source}} rather than as duplicates.
 *
 * <p>A JavaBean like {@link FileRecordSource}: {@link #init()} checks the parameters and fails
 * route creation on a bad one, but does not connect, so a database that is down at start does not
 * stop the daemon. The pool ({@link JdbcPool}) is opened on the first poll and closed when the
 * route stops: a Camel {@link Service} used by a {@code bean} step is stopped with its route.
 */
public final class JdbcRecordSource extends Configured implements PolledSource, Connector, Service, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRecordSource.class);

    @Option(name = "source", description = "Source system name (kebab-case). Route id <source>-ingest, watermark "
            + "source_watermark.source.")
    private String source;
    @Option.Nested
    private final JdbcEndpoint endpoint = new JdbcEndpoint();
    @Option(name = "table", description = "Table to read (letters, digits, _; optionally schema.table); set this "
            + "or query.", defaultValue = "-")
    private String table;
    @Option(name = "query", description = "A SELECT to read instead of a table (wrapped as a derived table; no ';' "
            + "or '?').", defaultValue = "-")
    private String query;
    @Option(name = "updated-column", description = "Column with the time each row last changed (timestamp or "
            + "date); first half of the watermark.")
    private String updatedColumn;
    @Option(name = "key-column", description = "Unique key column of the rows (number, text or uuid); second half "
            + "of the watermark.")
    private String keyColumn;
    @Option(name = "mapping", description = "Field mapping from column labels (lower case) to canonical fields "
            + "(YAML, see routes/README.md).")
    private String mapping;
    @Option(name = "batch-size", description = "Rows per batch (one query, one store transaction).",
            defaultValue = "{{hub.ingest.batch-size}}")
    private int batchSize = 1000;
    @Option(name = "overlap", description = "ISO-8601 duration re-read before the watermark on each poll, for rows "
            + "committed late with an older time: longer than the longest write transaction, whatever the poll interval "
            + "(rows re-read unchanged are skipped by a hash comparison).", defaultValue = "PT5M")
    private String overlap;

    private KeysetQuery statements;
    private FieldMapping fieldMapping;
    private Duration overlapWindow;
    private String origin;
    private ZoneId configuredZone;
    private volatile JdbcPool pool;
    private Connectors connectors;
    private volatile boolean keyChecked;
    /** The zone of TIMESTAMP values without zone, resolved on the first connection of each pool. */
    private volatile ZoneId zone;
    private OverlapFilter rereads;
    private final AtomicLong unchangedRereads = new AtomicLong();
    /** Numbers the batches of re-read rows; from a random start, so that none repeats a pass stored before a restart. */
    private final AtomicLong passes = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
    private CamelContext camelContext;
    private volatile Counter unchangedCounter;

    /** Checks the parameters; connects to nothing. Idempotent (Camel calls it again when it starts the route). */
    @Override
    public void init() {
        configure();
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
        pool = endpoint.open("source " + source, "jdbc-source-" + source, true);
        zone = null;
        rereads = new OverlapFilter(overlapWindow);
        if (connectors != null) {
            connectors.register(this);
        }
    }

    private void check() {
        configuredZone = endpoint.check();
        endpoint.checkDriver();
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
        overlapWindow = TemplateParameters.nonNegativeDuration("overlap", overlap);
        origin = JdbcPool.withoutParameters(endpoint.url()) + "#" + (isSet(table) ? table : "query");
    }

    @Override
    public Iterator<PolledBatch> batches(String watermark) {
        JdbcWatermark stored = watermark == null ? null : JdbcWatermark.decode(watermark);
        rereads.pollStarts(watermark);
        return new Poll(stored);
    }

    /**
     * The rows after a watermark, one batch (one query) at a time, each query starting after the
     * previous batch's last row; a page whose rows the overlap re-read all unchanged is not handed
     * on, and the next page is read instead.
     */
    private final class Poll implements Iterator<PolledBatch> {

        private final JdbcWatermark stored;
        private JdbcWatermark after;
        private PolledBatch next;
        private boolean exhausted;
        private long position;
        private long skipped;
        private boolean ended;

        Poll(JdbcWatermark stored) {
            this.stored = stored;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !exhausted) {
                try {
                    while (next == null && !exhausted) {
                        next = page();
                    }
                } catch (RuntimeException e) {
                    // the poll has failed: asked again (as the splitter does when it finishes), there is nothing more
                    exhausted = true;
                    throw e;
                }
            }
            if (next == null && !ended) {
                ended = true;
                if (skipped > 0) {
                    LOG.debug("{}: {} row(s) of the overlap window re-read unchanged, not handed on", source, skipped);
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

        /** The next page's rows to hand on, or null when there are none (nothing more, or all re-read unchanged). */
        private PolledBatch page() {
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
            int read = 0;
            int unchanged = 0;
            try (Connection connection = connection();
                 PreparedStatement select = connection.prepareStatement(sql)) {
                select.setMaxRows(batchSize);
                select.setFetchSize(batchSize);
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    Columns columns = new Columns(rs.getMetaData(), zone);
                    while (read < batchSize && rs.next()) {
                        read++;
                        ObjectNode row = columns.row(rs);
                        last = columns.position(rs);
                        if (!keyChecked) {
                            keyChecked = true;
                            if (fieldMapping.key(row) == null) {
                                LOG.warn("{}: the mapping's key gives no value for the first row read; the columns (lower case) are {}",
                                        source, columns.labels);
                            }
                        }
                        SourceRecord record = new SourceRecord(source, origin, position + 1, fieldMapping.map(row), row.toString(), null);
                        String id = record.messageId();
                        // only the overlap is skipped: a row after the watermark is always new to the store
                        if (stored != null && !stored.isBefore(last) && rereads.unchanged(last, id)) {
                            unchanged++;
                            continue;
                        }
                        rereads.handedOn(last, id);
                        position++;
                        records.add(record);
                    }
                }
            } catch (SQLException e) {
                throw new SourceReadException("source " + source + ": cannot read " + origin + ": " + e.getMessage(), e);
            }
            if (read < batchSize) {
                exhausted = true;
            }
            if (unchanged > 0) {
                skipped += unchanged;
                countUnchanged(unchanged);
            }
            if (last == null) {
                return null;
            }
            after = last;
            if (records.isEmpty()) {
                // all skipped, so at or before the stored watermark: there is nothing to store and nothing to advance
                return null;
            }
            // rows re-read up to the stored watermark do not move it (back); the pass names the batch
            boolean advances = stored == null || stored.isBefore(last);
            String watermark = advances ? last.encode() : stored.encode(passes.incrementAndGet());
            rereads.batchHandedOn(watermark, last);
            return new PolledBatch(records, watermark);
        }
    }

    private void countUnchanged(int rows) {
        unchangedRereads.addAndGet(rows);
        Counter counter = unchangedCounter;
        if (counter == null && camelContext != null) {
            MeterRegistry registry = camelContext.getRegistry().findSingleByType(MeterRegistry.class);
            if (registry != null) {
                counter = Counter.builder("hub.ingest.unchanged.rereads")
                        .description("Rows of a database source's overlap window re-read unchanged and not handed on")
                        .tags("source", source)
                        .register(registry);
                unchangedCounter = counter;
            }
        }
        if (counter != null) {
            counter.increment(rows);
        }
    }

    /** Rows of the overlap window re-read unchanged and skipped since the reader was created. */
    long unchangedRereads() {
        return unchangedRereads.get();
    }

    /** Rows of the overlap window whose stored version the reader remembers. */
    int remembered() {
        return rereads.size();
    }

    /** How to read the columns of one result set. */
    private final class Columns {
        private final int count;
        private final String[] labels;
        private final int[] types;
        private final SqlType[] kinds;
        private final int updated;
        private final int key;
        private final SqlType updatedKind;
        private final SqlType keyKind;
        private final ZoneId zone;

        Columns(ResultSetMetaData meta, ZoneId zone) throws SQLException {
            this.zone = zone;
            count = meta.getColumnCount();
            labels = new String[count];
            types = new int[count];
            kinds = new SqlType[count];
            int updatedAt = -1;
            int keyAt = -1;
            for (int i = 0; i < count; i++) {
                labels[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                types[i] = meta.getColumnType(i + 1);
                kinds[i] = SqlType.of(meta, i + 1);
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
            if (!updatedKind.isTime()) {
                throw new SQLException("updated-column " + updatedColumn + " is " + meta.getColumnTypeName(updated)
                        + ": expected a timestamp or a date");
            }
            if (!ColumnValue.watermarks(keyKind) || keyKind.isTime()) {
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
            if (kinds[i] == SqlType.TIMESTAMP_TZ) {
                OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
            }
            if (kinds[i] == SqlType.TIMESTAMP) {
                // the instant it is, so that no later stage reads it in a zone of its own
                LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value.atZone(zone));
            }
            if (kinds[i] == SqlType.DATE) {
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

    @Override
    public String system() {
        return source;
    }

    /** Connects with the declared user and password and reads the columns (lower case) of the table or query. */
    @Override
    public Probe probe() {
        String where = JdbcPool.withoutParameters(endpoint.url()) + (isSet(table) ? " table " + table : " query");
        Connection connection;
        try {
            connection = pool.connection();
        } catch (SQLException e) {
            return Probe.failedToConnect(source, "source", where, e);
        }
        try (connection; PreparedStatement select = connection.prepareStatement(statements.nothing());
             ResultSet rs = select.executeQuery()) {
            List<String> named = new ArrayList<>(fieldMapping.sourceFields());
            named.add(updatedColumn.toLowerCase(Locale.ROOT));
            named.add(keyColumn.toLowerCase(Locale.ROOT));
            return Probe.found(source, "source", where, JdbcPool.labels(rs.getMetaData()), named.stream().distinct().toList());
        } catch (SQLException e) {
            return Probe.failed(source, "source", where, Probe.Outcome.FAILED, e);
        }
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
    }

    /** A connection from the pool, which the first poll opens; the first connection resolves the database's zone. */
    private Connection connection() throws SQLException {
        if (!pool.isOpen()) {
            LOG.info("{}: reading {} as {} (pool of {})", source, origin, endpoint.user(), endpoint.poolSize());
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

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
