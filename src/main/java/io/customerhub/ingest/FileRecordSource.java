package io.customerhub.ingest;

import io.customerhub.connect.Configured;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.FileShape;
import io.customerhub.connect.Option;
import io.customerhub.connect.Probe;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

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
public final class FileRecordSource extends Configured implements Connector {

    @Option(name = "source", description = "Source system name (kebab-case). Inbox data/inbox/<source>/, route id "
            + "<source>-ingest.")
    private String source;
    @Option.Nested
    private final FileShape shape = new FileShape();
    @Option(name = "columns", description = "CSV column names, comma separated, for files without a header row "
            + "(\"-\" = the first row is the header).", defaultValue = "-")
    private String columns;
    @Option(name = "mapping", description = "Field mapping from source fields to canonical fields (YAML, see "
            + "routes/README.md).")
    private String mapping;
    private int batchSize = 1000;

    private RecordReader reader;
    private FieldMapping fieldMapping;
    private ReadProgress progress = (source, bytes) -> { };
    private String inbox;
    private Connectors connectors;

    /** Checks the parameters and builds the reader. */
    public void init() {
        configure();
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.ingest.batch-size must be at least 1, not " + batchSize);
        }
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("source " + source + ": the mapping parameter is missing");
        }
        fieldMapping = FieldMapping.parse(mapping);
        reader = new RecordReader(shape.format(source, unset(columns)), fieldMapping);
        if (connectors != null) {
            connectors.register(this);
        }
    }

    @Override
    public String system() {
        return source;
    }

    /**
     * Whether the inbox can be read, and the fields of the first record of the newest file in it (else of the newest
     * file read before, in {@code done/}): a CSV header, JSON keys, XML elements.
     */
    @Override
    public Probe probe() {
        Path folder = Path.of(inbox);
        if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
            return Probe.failed(source, "source", inbox, Probe.Outcome.UNREACHABLE,
                    new IOException(Files.isDirectory(folder) ? "the inbox cannot be read" : "there is no inbox folder"));
        }
        Path done = folder.getParent().resolveSibling("done").resolve(folder.getFileName());
        try {
            Path sample = newest(folder);
            if (sample == null && Files.isDirectory(done)) {
                sample = newest(done);
            }
            if (sample == null) {
                return Probe.reached(source, "source", inbox, "the inbox can be read; no file in it or in " + done
                        + " yet to read the fields of");
            }
            try (InputStream in = Files.newInputStream(sample)) {
                Iterator<SourceRecord> records = reader.read(in, sample.getFileName().toString());
                List<String> fields = records.hasNext() ? RecordReader.fieldsOf(records.next()) : List.of();
                return Probe.found(source, "source", inbox + " (fields of " + sample.getFileName() + ")", fields,
                        fieldMapping.sourceFields());
            }
        } catch (IOException | RuntimeException e) {
            return Probe.failed(source, "source", inbox, Probe.Outcome.FAILED, e);
        }
    }

    private static Path newest(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith("."))
                    .max(Comparator.comparing(file -> file.toFile().lastModified())).orElse(null);
        }
    }

    public void setInbox(String inbox) {
        this.inbox = inbox;
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
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
