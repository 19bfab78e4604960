package io.customerhub.ingest;

import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static io.customerhub.connect.TemplateParameters.unset;

/**
 * The reader of one file source, created per route by the {@code file-source} template from its
 * parameters: it turns a file into a lazy stream of record batches, so a file of any size is
 * read in constant memory and stored with one round trip per batch.
 *
 * <p>A JavaBean because Camel sets template parameters as bean properties verbatim (factory
 * method arguments are re-parsed, which breaks on values such as a {@code ","} delimiter); the
 * template calls {@link #init()} once they are set, which checks them and fails route creation
 * on a bad parameter or mapping.
 */
public final class FileRecordSource {

    private String source;
    private String format;
    private String charset = "UTF-8";
    private String delimiter = ",";
    private String quote = "\"";
    private String columns = "";
    private String recordElement = "";
    private String recordPath = "";
    private String mapping;
    private int batchSize = 1000;

    private RecordReader reader;
    private ReadProgress progress = (source, bytes) -> { };

    /** Checks the parameters and builds the reader. */
    public void init() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.ingest.batch-size must be at least 1, not " + batchSize);
        }
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("source " + source + ": the mapping parameter is missing");
        }
        reader = new RecordReader(FileFormat.of(source, format, charset, delimiter, quote, unset(columns),
                unset(recordElement), unset(recordPath)), FieldMapping.parse(mapping));
    }

    /** The records of {@code file} in batches; the iterator is Closeable and closes the file. */
    public Iterator<List<SourceRecord>> batches(File file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new Counting(new FileInputStream(file)), 1 << 16);
        try {
            return new Batches(reader.read(in, file.getName()), batchSize);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public void setSource(String source) {
        this.source = source;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public void setCharset(String charset) {
        this.charset = charset;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public void setQuote(String quote) {
        this.quote = quote;
    }

    public void setColumns(String columns) {
        this.columns = columns;
    }

    public void setRecordElement(String recordElement) {
        this.recordElement = recordElement;
    }

    public void setRecordPath(String recordPath) {
        this.recordPath = recordPath;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public void setProgress(ReadProgress progress) {
        this.progress = progress;
    }

    /** The file as read, its bytes counted for {@link ReadProgress} (under the buffer: one call per 64 KiB). */
    private final class Counting extends FilterInputStream {
        private long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.bytesRead(source, ++read);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                read += n;
                progress.bytesRead(source, read);
            }
            return n;
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
