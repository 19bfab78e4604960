package io.customerhub.ingest;

import io.customerhub.record.SourceRecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The reader of one file source, created per route by the {@code file-source} template from its
 * parameters: it turns a file into a lazy stream of record batches, so a file of any size is
 * read in constant memory and stored with one round trip per batch.
 */
public final class FileRecordSource {

    private final RecordReader reader;
    private final int batchSize;

    private FileRecordSource(RecordReader reader, int batchSize) {
        this.reader = reader;
        this.batchSize = batchSize;
    }

    /**
     * Builds the reader from template parameters; a bad parameter or mapping fails route creation.
     * "-" stands for "not set" (Camel template parameters cannot default to an empty string).
     */
    public static FileRecordSource of(String source, String format, String charset, String delimiter, String quote,
                                      String columns, String recordElement, String recordPath, String mapping,
                                      String batchSize) {
        ReaderSettings settings = ReaderSettings.of(source, format, charset, delimiter, quote, unset(columns),
                unset(recordElement), unset(recordPath));
        int size = Integer.parseInt(batchSize.trim());
        if (size < 1) {
            throw new IllegalArgumentException("hub.ingest.batch-size must be at least 1, not " + size);
        }
        return new FileRecordSource(new RecordReader(settings, FieldMapping.parse(mapping)), size);
    }

    private static String unset(String parameter) {
        return "-".equals(parameter) ? "" : parameter;
    }

    /** The records of {@code file} in batches; the iterator is Closeable and closes the file. */
    public Iterator<List<SourceRecord>> batches(File file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new FileInputStream(file), 1 << 16);
        try {
            return new Batches(reader.read(in, file.getName()), batchSize);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static final class Batches implements Iterator<List<SourceRecord>>, Closeable {
        private final Iterator<SourceRecord> records;
        private final int size;

        Batches(Iterator<SourceRecord> records, int size) {
            this.records = records;
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            return records.hasNext();
        }

        @Override
        public List<SourceRecord> next() {
            if (!records.hasNext()) {
                throw new NoSuchElementException();
            }
            List<SourceRecord> batch = new ArrayList<>(size);
            while (batch.size() < size && records.hasNext()) {
                batch.add(records.next());
            }
            return batch;
        }

        @Override
        public void close() throws IOException {
            if (records instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
