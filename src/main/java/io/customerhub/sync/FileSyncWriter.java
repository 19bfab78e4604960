package io.customerhub.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.connect.Configured;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.FileFormat;
import io.customerhub.connect.FileShape;
import io.customerhub.connect.Option;
import io.customerhub.connect.Probe;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.customerhub.connect.TemplateParameters.isSet;
import static io.customerhub.connect.TemplateParameters.unset;

/**
 * The writer of one file-export target, created per route by the {@code file-sync} template: each
 * call's changes become one file {@code <source>-<yyyyMMdd-HHmmssSSS>-<first change number>.<ext>} in the
 * target's drop folder, in the shape the source's own files have (the {@code file-source} parameters
 * and the same field mapping read backwards), so that the hub reading the file gives back the values
 * it wrote: that is what lets echo suppression recognise the change as its own.
 *
 * <p>Columns are the mapping's writable source fields ({@link FieldMapping#writableFields()}), key
 * first, then the deletion flag when the mapping has a plain {@code deleted} field ({@code true} or
 * {@code false}). CSV quotes only values that need it and puts an apostrophe before a value a spreadsheet would run
 * as a formula ({@link #defused}) unless {@code formulas} is {@code keep}; JSON nests dotted paths ({@code contact.email})
 * and wraps the array in {@code record-path}; XML puts each record in a {@code record-element} under
 * the elements of {@code record-path} (default {@code records}), {@code @name} paths as attributes.
 *
 * <p>A file is written under a hidden temporary name in the same folder, forced to disk and renamed
 * atomically, so a consumer never sees half of it. Its content depends only on the changes, so a
 * retry writes the same records again: harmless for a consumer that upserts by key. A change whose
 * values the file cannot carry (a character the charset lacks, or one XML forbids) is refused with
 * the reason and left out; the others are written.
 *
 * <p>A JavaBean for the reason {@code FileRecordSource} is one; {@link #init()} checks the parameters.
 */
public final class FileSyncWriter extends Configured implements SyncWriter, Connector {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-][0-9 ().,/-]*");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern XML_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}._\\-]*");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

    @Option(name = "source", description = "Target system name, the same as its file-source (kebab-case). Route id "
            + "<source>-sync.")
    private String source;
    @Option.Nested
    private final FileShape shape = new FileShape();
    @Option(name = "directory", description = "Folder the files are written to (\"-\" = "
            + "<hub.data-dir>/outbox/<source>).", defaultValue = "-")
    private String directory;
    private String dataDir = "data";
    @Option(name = "mapping", description = "The source's field mapping (YAML, see routes/README.md), read "
            + "backwards; reuse the file-source's with an anchor.")
    private String mapping;
    @Option(name = "create", description = "How customers the system does not hold yet get there: golden-id (a new "
            + "record keyed by the golden id) or never (only customers it holds get changes).", defaultValue = "golden-id")
    private CreatePolicy create;
    @Option(name = "based-on-column", description = "Column (path) that carries, per record, its updated-at as the "
            + "hub last read it (ISO-8601, UTC; empty for a new one), for a system whose import skips a row whose record "
            + "changed since, so that an edit not yet exported is not overwritten (\"-\" = none).", defaultValue = "-")
    private String basedOnColumn;
    @Option(name = "formulas", description = "CSV: neutralize (a value a spreadsheet would run as a formula, "
            + "starting with =, @, + or -, gets an apostrophe before it; numbers such as +86 phone numbers do not) or "
            + "keep (values as they are, for a system that imports CSV without a spreadsheet).", defaultValue = "neutralize")
    private String formulas;
    private boolean neutralize;
    @Option(name = "bom", description = "true to start a UTF-8 file with a byte-order mark (spreadsheet imports).",
            defaultValue = "false")
    private boolean bom;
    private Clock clock = Clock.systemUTC();

    private FileFormat settings;
    private Path folder;
    private Connectors connectors;
    /** Source column (path) per canonical field, key first; the deletion flag is not among them. */
    private Map<CanonicalField, String> columns;
    private String deletedColumn;
    private List<String> wrapper;

    /** Checks the parameters and the mapping. */
    public void init() {
        configure();
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("sync target " + source + ": the mapping parameter is missing");
        }
        settings = shape.format(source, "");
        if (create == CreatePolicy.TARGET_ASSIGNED) {
            throw new IllegalArgumentException("sync target " + source + ": create: a file has no key to give back;"
                    + " use golden-id (new customers keyed by their golden id) or never");
        }
        if (!FILE_NAME.matcher(settings.source()).matches()) {
            throw new IllegalArgumentException("source: '" + source + "' cannot start a file name (letters, digits, - and _ only)");
        }
        FieldMapping fields = FieldMapping.parse(mapping);
        columns = new LinkedHashMap<>();
        // a source field read for two canonical fields is written once, with the first one's value
        fields.writableFields().forEach((field, column) -> {
            if (!columns.containsValue(column)) {
                columns.put(field, column);
            }
        });
        if (!columns.containsKey(CanonicalField.SOURCE_KEY)) {
            throw new IllegalArgumentException("sync target " + source + ": the mapping's key is not a plain field"
                    + " (a composite or computed key), so records cannot be written back");
        }
        String flag = fields.writableDeletedField();
        deletedColumn = flag == null || columns.containsValue(flag) ? null : flag;
        basedOnColumn = isSet(basedOnColumn) ? basedOnColumn.strip() : null;
        if (basedOnColumn != null && (columns.containsValue(basedOnColumn) || basedOnColumn.equals(deletedColumn))) {
            throw new IllegalArgumentException("sync target " + source + ": based-on-column " + basedOnColumn
                    + " is a column of the mapping already");
        }
        neutralize = switch (formulas.strip()) {
            case "neutralize" -> true;
            case "keep" -> false;
            default -> throw new IllegalArgumentException("formulas: '" + formulas + "'; expected neutralize or keep");
        };
        if (bom && !settings.charset().equals(StandardCharsets.UTF_8)) {
            throw new IllegalArgumentException("bom: a byte-order mark is written only for UTF-8, not " + settings.charset().name());
        }
        CharsetEncoder encoder = encoder();
        for (String column : header()) {
            if (!encoder.canEncode(column)) {
                throw new IllegalArgumentException("mapping: the field name '" + column + "' cannot be written in " + settings.charset().name());
            }
        }
        wrapper = settings.recordPath().isEmpty()
                ? (settings.format() == FileFormat.Format.XML ? List.of("records") : List.of())
                : List.of(settings.recordPath().split("\\.", -1));
        if (settings.format() != FileFormat.Format.CSV) {
            checkPaths();
        }
        folder = unset(directory).isBlank() ? Path.of(dataDir, "outbox", settings.source()) : Path.of(directory.strip());
        if (connectors != null) {
            connectors.register(this);
        }
    }

    /** Fails on paths that cannot make one tree (a and a.b), or names XML cannot carry. */
    private void checkPaths() {
        for (String name : wrapper) {
            if (name.isEmpty() || (settings.format() == FileFormat.Format.XML && !XML_NAME.matcher(name).matches())) {
                throw new IllegalArgumentException("record-path: '" + settings.recordPath() + "' is not a dotted path of element names");
            }
        }
        if (settings.format() == FileFormat.Format.XML && !XML_NAME.matcher(settings.recordElement()).matches()) {
            throw new IllegalArgumentException("record-element: '" + settings.recordElement() + "' is not an XML element name");
        }
        ObjectNode sample = JsonNodeFactory.instance.objectNode();
        for (String column : header()) {
            List<Segment> path;
            try {
                path = Segment.parse(column, settings.format() == FileFormat.Format.XML);
                put(sample, path, "x");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mapping: field '" + column + "': " + e.getMessage(), e);
            }
        }
    }

    private List<String> header() {
        List<String> header = new ArrayList<>(columns.values());
        if (deletedColumn != null) {
            header.add(deletedColumn);
        }
        if (basedOnColumn != null) {
            header.add(basedOnColumn);
        }
        return header;
    }

    /** A file is handed over: the system applies it when it imports it. */
    @Override
    public boolean appliesWrites() {
        return false;
    }

    @Override
    public Set<CanonicalField> fields() {
        return Set.copyOf(columns.keySet());
    }

    /** Where this target's files go. */
    public Path folder() {
        return folder;
    }

    @Override
    public List<WriteOutcome> write(List<OutboundChange> changes) throws IOException {
        List<WriteOutcome> results = new ArrayList<>(changes.size());
        List<OutboundChange> written = new ArrayList<>(changes.size());
        CharsetEncoder encoder = encoder();
        for (OutboundChange change : changes) {
            String refusal = refusal(change, encoder);
            // a value the file cannot hold cannot be written by trying again
            results.add(refusal == null ? WriteOutcome.WRITTEN : WriteOutcome.refused(refusal));
            if (refusal == null) {
                written.add(change);
            }
        }
        if (!written.isEmpty()) {
            writeFile(written);
        }
        return results;
    }

    @Override
    public String system() {
        return source;
    }

    /** Whether the folder the files go to is there, or can be made, and takes files. */
    @Override
    public Probe probe() {
        try {
            Files.createDirectories(folder);
            Path trial = Files.createTempFile(folder, ".check-", ".tmp");
            Files.delete(trial);
            return Probe.reached(source, "sync target", folder.toString(), "the folder takes files");
        } catch (IOException | RuntimeException e) {
            return Probe.failed(source, "sync target", folder.toString(), Probe.Outcome.UNREACHABLE, e);
        }
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
    }

    private void writeFile(List<OutboundChange> changes) throws IOException {
        Files.createDirectories(folder);
        String name = settings.source() + "-" + STAMP.format(clock.instant()) + "-" + changes.get(0).changeSeq() + "." + settings.format().extension();
        Path target = folder.resolve(name);
        Path temporary = folder.resolve("." + name + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
                 Writer out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), encoder()), 1 << 16)) {
                if (bom) {
                    out.write('\uFEFF');
                }
                switch (settings.format()) {
                    case CSV -> writeCsv(out, changes);
                    case JSON -> writeJson(out, changes);
                    case XML -> writeXml(out, changes);
                }
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceDirectory();
    }

    /** Makes the rename itself durable; where a directory cannot be opened (Windows) there is nothing to do. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // the file is complete either way; only its name might not survive a power cut
        }
    }

    private CharsetEncoder encoder() {
        return settings.charset().newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Why a change cannot go into this file, or null. */
    private String refusal(OutboundChange change, CharsetEncoder encoder) {
        if (change.targetKey() == null || change.targetKey().isBlank()) {
            return "no key: a consumer could not tell which record it is";
        }
        for (Map.Entry<CanonicalField, String> column : columns.entrySet()) {
            String value = change.value(column.getKey());
            if (value == null) {
                continue;
            }
            if (!encoder.canEncode(value)) {
                return column.getKey().key() + " holds a character that " + settings.charset().name() + " cannot encode";
            }
            if (settings.format() == FileFormat.Format.XML && !xmlText(value)) {
                return column.getKey().key() + " holds a control character that XML cannot carry";
            }
            // a reader turns tabs and line breaks in an attribute into spaces, so they would not come back
            if (settings.format() == FileFormat.Format.XML && isAttribute(column.getValue()) && value.matches("(?s).*[\t\n\r].*")) {
                return column.getKey().key() + " holds a tab or line break, which the XML attribute "
                        + column.getValue() + " cannot carry";
            }
        }
        return null;
    }

    private static boolean isAttribute(String path) {
        return path.substring(path.lastIndexOf('.') + 1).startsWith("@");
    }

    private static boolean xmlText(String value) {
        return value.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF));
    }

    /** The record's values per column, in header order; null where the golden record has none. */
    private List<String> row(OutboundChange change) {
        List<String> row = new ArrayList<>(columns.size() + 1);
        columns.keySet().forEach(field -> row.add(change.value(field)));
        if (deletedColumn != null) {
            row.add(Boolean.toString(change.deleted()));
        }
        if (basedOnColumn != null) {
            row.add(change.basedOn() == null ? null : change.basedOn().toString());
        }
        return row;
    }

    private void writeCsv(Writer out, List<OutboundChange> changes) throws IOException {
        CSVFormat csv = CSVFormat.DEFAULT.builder()
                .setDelimiter(settings.delimiter())
                .setQuote(settings.quote())
                .setQuoteMode(QuoteMode.MINIMAL)
                .setRecordSeparator("\r\n")
                .get();
        CSVPrinter printer = new CSVPrinter(out, csv);
        printer.printRecord(header());
        for (OutboundChange change : changes) {
            List<String> row = row(change);
            printer.printRecord(neutralize ? row.stream().map(FileSyncWriter::defused).toList() : row);
        }
        printer.flush();
    }

    /**
     * The value with an apostrophe put before it when a spreadsheet would run it as a formula (the OWASP CSV-injection
     * rule): it starts with {@code =}, {@code @}, a tab or a carriage return, or with {@code +} or {@code -} and is
     * not a plain number such as a phone number ({@code +86 138-0013-8000}) or an amount.
     */
    static String defused(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '@' || first == '\t' || first == '\r'
                || ((first == '+' || first == '-') && !PLAIN_NUMBER.matcher(value).matches());
        return formula ? "'" + value : value;
    }

    private ObjectNode tree(OutboundChange change) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        Iterator<String> values = row(change).iterator();
        for (String column : header()) {
            String value = values.next();
            if (value != null) {
                put(record, Segment.parse(column, settings.format() == FileFormat.Format.XML), value);
            }
        }
        return record;
    }

    private void writeJson(Writer out, List<OutboundChange> changes) throws IOException {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        changes.forEach(change -> records.add(tree(change)));
        JsonNode document = records;
        for (int i = wrapper.size() - 1; i >= 0; i--) {
            ObjectNode parent = JsonNodeFactory.instance.objectNode();
            parent.set(wrapper.get(i), document);
            document = parent;
        }
        JSON.writeValue(out, document);
        out.write('\n');
    }

    private void writeXml(Writer out, List<OutboundChange> changes) throws IOException {
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out);
            xml.writeStartDocument(settings.charset().name(), "1.0");
            int depth = 0;
            for (String name : wrapper) {
                newline(xml, depth++);
                xml.writeStartElement(name);
            }
            for (OutboundChange change : changes) {
                newline(xml, depth);
                element(xml, settings.recordElement(), tree(change), depth);
            }
            while (depth > 0) {
                newline(xml, --depth);
                xml.writeEndElement();
            }
            xml.writeEndDocument();
            out.write('\n');
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    /** Writes {@code node} as element {@code name}: attributes first, then children; arrays repeat the element. */
    private static void element(XMLStreamWriter xml, String name, JsonNode node, int depth) throws XMLStreamException {
        if (node.isArray()) {
            boolean first = true;
            for (JsonNode item : node) {
                if (!first) {
                    newline(xml, depth);
                }
                first = false;
                element(xml, name, item, depth);
            }
            return;
        }
        if (node.isNull()) {
            xml.writeEmptyElement(name);
            return;
        }
        xml.writeStartElement(name);
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().startsWith("@")) {
                    xml.writeAttribute(field.getKey().substring(1), field.getValue().asText());
                } else {
                    children.add(field);
                }
            }
            for (Map.Entry<String, JsonNode> child : children) {
                newline(xml, depth + 1);
                element(xml, child.getKey(), child.getValue(), depth + 1);
            }
            if (!children.isEmpty()) {
                newline(xml, depth);
            }
        } else {
            text(xml, node.asText());
        }
        xml.writeEndElement();
    }

    /** Writes text with each carriage return as {@code &#xD;}: a reader would turn a literal one into a line feed. */
    private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
        int start = 0;
        for (int cr = value.indexOf('\r'); cr >= 0; cr = value.indexOf('\r', start)) {
            xml.writeCharacters(value.substring(start, cr));
            xml.writeEntityRef("#xD");
            start = cr + 1;
        }
        xml.writeCharacters(value.substring(start));
    }

    /** Sets {@code value} at {@code path} in {@code record}, creating the objects and arrays on the way. */
    private static void put(ObjectNode record, List<Segment> path, String value) {
        JsonNode node = record;
        for (int i = 0; i < path.size(); i++) {
            Segment segment = path.get(i);
            boolean last = i == path.size() - 1;
            ObjectNode parent = (ObjectNode) node;
            JsonNode child = parent.get(segment.name());
            if (segment.index() < 0) {
                if (last) {
                    if (child != null) {
                        throw new IllegalArgumentException("it is also a part of another field's path");
                    }
                    parent.put(segment.name(), value);
                    return;
                }
                if (child == null) {
                    child = parent.putObject(segment.name());
                } else if (!child.isObject()) {
                    throw new IllegalArgumentException("'" + segment.name() + "' is both a value and an object");
                }
                node = child;
                continue;
            }
            if (child == null) {
                child = parent.putArray(segment.name());
            } else if (!child.isArray()) {
                throw new IllegalArgumentException("'" + segment.name() + "' is both an array and not one");
            }
            ArrayNode array = (ArrayNode) child;
            while (array.size() <= segment.index()) {
                array.addNull();
            }
            JsonNode element = array.get(segment.index());
            if (last) {
                if (!element.isNull()) {
                    throw new IllegalArgumentException("it is also a part of another field's path");
                }
                array.set(segment.index(), array.textNode(value));
                return;
            }
            if (element.isNull()) {
                element = JsonNodeFactory.instance.objectNode();
                array.set(segment.index(), element);
            } else if (!element.isObject()) {
                throw new IllegalArgumentException("'" + segment.name() + "' is both a value and an object");
            }
            node = element;
        }
    }

    /**
     * One step of a field path: a name and, for {@code name[i]}, an index ({@code [*]} and negative
     * indexes write the single element the reader will find there); -1 when there is none.
     */
    private record Segment(String name, int index) {

        static List<Segment> parse(String path, boolean xml) {
            String[] parts = path.split("\\.", -1);
            List<Segment> segments = new ArrayList<>(parts.length);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                int open = part.indexOf('[');
                String name = open < 0 ? part : part.substring(0, open);
                int index = -1;
                if (open >= 0) {
                    String inside = part.substring(open + 1, part.length() - 1).strip();
                    index = inside.equals("*") ? 0 : Math.max(0, Integer.parseInt(inside));
                }
                if (name.startsWith("@") && (i < parts.length - 1 || index >= 0)) {
                    throw new IllegalArgumentException("an attribute (@name) can only end a path");
                }
                String local = name.startsWith("@") ? name.substring(1) : name;
                if (xml && !XML_NAME.matcher(local).matches()) {
                    throw new IllegalArgumentException("'" + local + "' is not an XML name");
                }
                segments.add(new Segment(name, index));
            }
            return segments;
        }
    }

    @Override
    public CreatePolicy create() {
        return create;
    }

    /** The hub's data folder ({@code hub.data-dir}), for the default folder. */
    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    /** The clock that stamps file names (tests fix it). */
    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
