package io.customerhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the records of one source's files (CSV, JSON, XML, as the settings say) and maps them to
 * canonical values. Files are streamed record by record, so a file of any size is read in
 * constant memory and a route can split it as it goes. A file that cannot be read at all fails as
 * a whole with an {@link UnreadableFileException}; a record that cannot be read becomes an
 * unparseable {@link SourceRecord} naming its line, and reading goes on where the format allows.
 * Instances are stateless and may be shared between threads.
 */
public final class RecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The top-level fields of {@code record} as read (a CSV header, JSON keys, XML elements), in the order read: what
     * {@code check} and {@code discover} compare a mapping with.
     */
    static List<String> fieldsOf(SourceRecord record) throws IOException {
        List<String> fields = new ArrayList<>();
        JSON.readTree(record.payload()).fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private final FileFormat settings;
    private final FieldMapping mapping;

    public RecordReader(FileFormat settings, FieldMapping mapping) {
        this.settings = settings;
        this.mapping = mapping;
    }

    /**
     * Streams the records of one file lazily. The returned iterator also implements
     * {@link Closeable}: closing it closes {@code in}, as does reaching its end.
     *
     * @param origin the file name, copied into every record
     * @throws UnreadableFileException when the file fails before its first record (no header, not
     *                                 JSON or XML, record path not found, bytes not in the charset)
     */
    public Iterator<SourceRecord> read(InputStream in, String origin) {
        RowSource rows;
        try {
            rows = switch (settings.format()) {
                case CSV -> new CsvRows(TextInput.open(in, settings.charset()), settings, origin);
                case JSON -> new JsonRows(TextInput.open(in, settings.charset()), settings, origin);
                case XML -> new XmlRows(in, settings, origin);
            };
        } catch (CharacterCodingException e) {
            closeQuietly(in);
            throw new UnreadableFileException("not " + settings.charset().name() + " text before the first record", e);
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
        return new Records(rows, origin);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }

    /** Maps rows to records, joining consecutive rows of one key when the mapping groups rows. */
    private final class Records implements Iterator<SourceRecord>, Closeable {

        private final RowSource rows;
        private final String origin;
        private final List<Row> group = new ArrayList<>();
        private String groupKey;
        private SourceRecord next;
        private boolean closed;

        Records(RowSource rows, String origin) {
            this.rows = rows;
            this.origin = origin;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !closed) {
                try {
                    next = fetch();
                } catch (IOException e) {
                    closeQuietly();
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    closeQuietly();
                    throw e;
                }
                if (next == null) {
                    closeQuietly();
                }
            }
            return next != null;
        }

        @Override
        public SourceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            SourceRecord record = next;
            next = null;
            return record;
        }

        private SourceRecord fetch() throws IOException {
            while (true) {
                Row row = rows.next();
                if (row == null) {
                    return group.isEmpty() ? null : flush();
                }
                if (row.error() != null) {
                    // a broken row belongs to no group; one that is open goes on after it
                    return SourceRecord.unparseable(settings.source(), origin, row.line(), row.payload(), row.error());
                }
                if (!mapping.groupsRows()) {
                    return new SourceRecord(settings.source(), origin, row.line(), mapping.map(row.tree()), row.payload(), null);
                }
                String key = mapping.key(row.tree());
                if (!group.isEmpty() && key != null && key.equals(groupKey)) {
                    group.add(row);
                    continue;
                }
                SourceRecord done = group.isEmpty() ? null : flush();
                group.add(row);
                groupKey = key;
                if (done != null) {
                    return done;
                }
            }
        }

        private SourceRecord flush() {
            List<JsonNode> trees = new ArrayList<>(group.size());
            StringBuilder payload = new StringBuilder("[");
            for (Row row : group) {
                trees.add(row.tree());
                if (payload.length() > 1) {
                    payload.append(',');
                }
                payload.append(row.payload());
            }
            SourceRecord record = new SourceRecord(settings.source(), origin, group.get(0).line(),
                    mapping.map(trees), payload.append(']').toString(), null);
            group.clear();
            return record;
        }

        private void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // nothing more can be read either way
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                rows.close();
            }
        }
    }
}
