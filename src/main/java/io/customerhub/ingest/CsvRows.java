package io.customerhub.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.connect.FileFormat;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * CSV rows as flat trees keyed by the header. Each row is checked against the header's width,
 * and its start line is worked out from where it ends, less the line breaks inside quoted values,
 * so records after a multi-line value keep true line numbers.
 */
final class CsvRows implements RowSource {

    private final FileFormat settings;
    private final String origin;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final String[] names;
    private final String[] quotedNames;
    private final int capacity;
    private long lastLine;
    private boolean broken;

    CsvRows(Reader reader, FileFormat settings, String origin) throws IOException {
        this.settings = settings;
        this.origin = origin;
        this.parser = CSVFormat.DEFAULT.builder()
                .setDelimiter(settings.delimiter())
                .setQuote(settings.quote())
                .setIgnoreEmptyLines(true)
                .setTrim(false)
                .get()
                .parse(reader);
        this.records = parser.iterator();
        this.names = settings.columns().isEmpty() ? header() : settings.columns().toArray(String[]::new);
        this.capacity = names.length * 4 / 3 + 1;
        this.quotedNames = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            quotedNames[i] = JsonText.quote(names[i]);
        }
    }

    private String[] header() {
        CSVRecord header;
        try {
            if (!records.hasNext()) {
                throw new UnreadableFileException("no header line: the file is empty");
            }
            header = records.next();
        } catch (UncheckedIOException e) {
            throw new UnreadableFileException("cannot read the header line: " + describe(e.getCause()), e);
        }
        lastLine = parser.getCurrentLineNumber();
        String[] header2 = new String[header.size()];
        Set<String> seen = new HashSet<>();
        boolean blank = true;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            blank &= name.isEmpty();
            // a nameless column still needs a key in the tree and the payload
            header2[i] = name.isEmpty() ? "column" + (i + 1) : name;
            if (!seen.add(header2[i])) {
                throw new UnreadableFileException("line " + lastLine + ": the header names column '" + header2[i] + "' twice");
            }
        }
        if (blank) {
            throw new UnreadableFileException("line " + lastLine + ": the header line is blank");
        }
        return header2;
    }

    @Override
    public Row next() {
        while (!broken) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                broken = true;
                return Row.rest(startLineOf(e.getCause()), origin, describe(e.getCause()));
            }
            long end = parser.getCurrentLineNumber();
            // a record ending on the line after the previous one cannot hold a line break: skip the scan
            long start = end == lastLine + 1 ? end : end - lineBreaks(record);
            lastLine = end;
            int size = record.size();
            if (size != names.length) {
                if (size == 1 && record.get(0).isBlank()) {
                    continue; // a line of spaces is a blank line too
                }
                return Row.unreadable(start, values(record),
                        "expected " + names.length + " fields as in the header, found " + size);
            }
            ObjectNode tree = new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(capacity));
            StringBuilder payload = new StringBuilder(128).append('{');
            for (int i = 0; i < size; i++) {
                String value = record.get(i);
                tree.put(names[i], value);
                if (i > 0) {
                    payload.append(',');
                }
                payload.append(quotedNames[i]).append(':');
                JsonText.quote(payload, value);
            }
            return Row.of(start, tree, payload.append('}').toString());
        }
        return null;
    }

    private static long lineBreaks(CSVRecord record) {
        long breaks = 0;
        for (int i = 0; i < record.size(); i++) {
            String value = record.get(i);
            if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
                continue;
            }
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if (c == '\n' || (c == '\r' && (j + 1 == value.length() || value.charAt(j + 1) != '\n'))) {
                    breaks++;
                }
            }
        }
        return breaks;
    }

    private static String values(CSVRecord record) {
        StringBuilder payload = new StringBuilder("[");
        for (int i = 0; i < record.size(); i++) {
            if (i > 0) {
                payload.append(',');
            }
            JsonText.quote(payload, record.get(i));
        }
        return payload.append(']').toString();
    }

    /** commons-csv names the line where the broken record starts as "(startline N)"; use it when present. */
    private long startLineOf(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int at = message.indexOf("(startline ");
        if (at >= 0) {
            int from = at + "(startline ".length();
            int to = message.indexOf(')', from);
            try {
                return Long.parseLong(message.substring(from, to));
            } catch (RuntimeException ignored) {
                // fall back to the line after the last good record
            }
        }
        return lastLine + 1;
    }

    private String describe(Throwable error) {
        if (error instanceof CharacterCodingException) {
            return "bytes that are not valid " + settings.charset().name() + " text";
        }
        if (error instanceof CSVException) {
            String message = error.getMessage().replaceFirst("^\\(startline \\d+\\) ", "");
            return "broken quoting (" + message + ")";
        }
        if (error instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        throw new IllegalStateException(error);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
